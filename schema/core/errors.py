"""Expected errors as schema types; unexpected ones are masked, logged and tagged with the request id."""

from __future__ import annotations

import logging
import re
from enum import StrEnum
from typing import Any, TypeVar, get_type_hints

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.types import ExecutionContext

from parking.common.errors import DomainError, ErrorCode

logger = logging.getLogger(__name__)

Codes = TypeVar("Codes", bound=type[StrEnum])


def error_codes(codes: Codes, domain: str) -> Codes:
    """Registers a domain's error code enum (``parking/<domain>/errors.py``) under its own name."""
    return strawberry.enum(
        codes, description=f"Why {domain} mutation was refused: the codes its use-cases can answer with."
    )


@strawberry.interface(
    description="An expected error: nothing was changed. Each error type adds a code of its own domain's enum "
    "(AccountErrorCode, PaymentErrorCode...): the codes its mutations can return."
)
class Error:
    message: str
    field: str | None = strawberry.field(description="The input field at fault, when there is one.")


def coded(cls: type[Any], code: ErrorCode) -> Any:
    """An error type's ``code`` for a domain code: the member of the type's own enum with the same value."""
    codes: type[StrEnum] = get_type_hints(cls)["code"]  # an error path: resolving the hint each time is fine
    try:
        return codes(code.value)
    except ValueError:
        # A use-case answered with a code its domain does not list: a bug, masked for the client and logged.
        raise RuntimeError(f"{code.name} is not one of {codes.__name__}: list it in the domain's errors.py") from None


def error_from(err: DomainError, cls: type[Any], **extra: Any) -> Any:
    """The error type ``cls`` for an expected domain error, its code in the type's own enum."""
    return cls(code=coded(cls, err.code), message=err.message, field=err.field, **extra)


def _is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    # Validation and permission errors carry their own safe messages; anything raised elsewhere is a bug.
    # graphql-core wraps variable coercion failures ("Value 'UP' does not exist...") around a GraphQLError.
    return (
        original is None
        or isinstance(original, DomainError | GraphQLError)
        or bool((error.extensions or {}).get("code"))
    )


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: not _is_expected(error))

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        # A domain error raised by a query resolver (bad id, bad page) carries its code like a mutation's would.
        for error in errors:
            original = error.original_error
            if isinstance(original, DomainError):
                error.extensions = {
                    **(error.extensions or {}),
                    "code": original.code.name,
                    "field": original.field,
                }
            elif error.path is None and not (error.extensions or {}).get("code"):
                # No path: the request itself was refused (syntax, validation, variables) before any resolver ran.
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_VALIDATION_FAILED"}
        return super()._process_errors(errors)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        # Logged with its traceback by LoggedSchema.process_errors, which sees every error first.
        request_id = getattr(self.execution_context.context, "request_id", "")
        return GraphQLError(
            message=f"Unexpected error (request id {request_id}).",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=None,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )


# Literal values in graphql-core's messages ('... invalid value "hunter2"', 'non string value: 123'): a caller
# may have typed a password there, so none reaches the log.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_VALUE = re.compile(r"(value:?\s)[^;]*")


def loggable(message: str) -> str:
    return _VALUE.sub(r"\1...", _QUOTED.sub('"..."', message))[:300]


def _code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, DomainError):
        return original.code.name
    return str((error.extensions or {}).get("code") or "GRAPHQL_VALIDATION_FAILED")


class LoggedSchema(strawberry.Schema):
    """Logs each error once: a caller's own mistake (syntax, validation, permission, not found) as one INFO line
    with the request id and no traceback; anything else as an ERROR with its traceback. Never the document,
    never a literal value from it."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        request_id = getattr(getattr(execution_context, "context", None), "request_id", "")
        for error in errors:
            path = ".".join(str(p) for p in error.path) if error.path else "-"
            if _is_expected(error):
                logger.info("request %s refused at %s: %s %s", request_id, path, _code(error), loggable(error.message))
            else:
                logger.error(
                    "unexpected error in GraphQL request %s at %s", request_id, path, exc_info=error.original_error
                )
