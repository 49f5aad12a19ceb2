"""The shape of every list query (scoped select, filters, keyset page) and of every lookup by id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from parking.common.crud import parse_id
from schema.core.context import Info
from schema.core.pagination import Connection, PageInfo, PageRequest, SortDirection, paginate


async def list_page(
    info: Info,
    model: Any,
    where: list[ColumnElement[bool]],
    sort: InstrumentedAttribute[Any],
    direction: SortDirection,
    first: int,
    after: str | None,
) -> Connection[Any]:
    stmt = select(model).where(*where)
    # A bad page request raises DomainError, which reaches the client unmasked with its message.
    rows, page_info = await paginate(info.context.session, stmt, sort, model.id, direction, PageRequest(first, after))
    return Connection(items=list(rows), page_info=page_info)


async def load_one(info: Info, model: Any, raw_id: Any) -> Any:
    """One row by its GraphQL id through the request's loader; None when missing or outside the caller's scope."""
    return await info.context.loaders.by_id(model).load(parse_id(raw_id))


def ids(values: list[Any] | None) -> list[int] | None:
    return None if values is None else [parse_id(v) for v in values]


def empty_page() -> Connection[Any]:
    return Connection(items=[], page_info=PageInfo(has_next_page=False, end_cursor=None))
