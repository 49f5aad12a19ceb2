"""Runs a mutation's use-case in its own transaction and maps expected failures to the error type."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.utils.str_converters import to_camel_case

from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from schema.core.context import Info
from schema.core.errors import coded, error_from

R = TypeVar("R")


def validation_error(err: ValidationError, error_cls: type[Any]) -> Any:
    first = err.errors()[0]
    field = ".".join(to_camel_case(str(part)) for part in first["loc"]) or None
    return error_cls(code=coded(error_cls, ErrorCode.INVALID), message=f"{field}: {first['msg']}", field=field)


async def run(
    info: Info,
    use_case: Callable[[AsyncSession, Actor], Awaitable[R]],
    error_cls: type[Any],
    success: Callable[[R], Any],
) -> Any:
    """Commit on success; on an expected error roll back, so nothing at all is written."""
    ctx = info.context
    actor = ctx.actor
    assert actor is not None, "permission extensions run before resolvers"
    try:
        async with ctx.db.transaction(actor.scope) as session:
            result = await use_case(session, actor)
    except DomainError as err:
        return error_from(err, error_cls)
    except ValidationError as err:
        return validation_error(err, error_cls)
    return success(result)
