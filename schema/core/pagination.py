"""Keyset pagination: pages of at most 100, ordered by a sort column then id, with opaque cursors."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from parking.common.errors import DomainError, ErrorCode

MAX_PAGE = 100
T = TypeVar("T")


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection(Generic[T]):
    items: list[T]
    page_info: PageInfo


def _encode(value: Any, row_id: int) -> str:
    if isinstance(value, datetime):
        payload: list[Any] = ["dt", value.isoformat(), row_id]
    elif isinstance(value, date):  # after datetime: a datetime is a date too
        payload = ["d", value.isoformat(), row_id]
    elif isinstance(value, Enum):
        payload = ["v", value.value, row_id]
    else:
        payload = ["v", value, row_id]
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def _decode(cursor: str) -> tuple[Any, int]:
    try:
        kind, value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if kind == "dt":
            value = datetime.fromisoformat(value)
        elif kind == "d":
            value = date.fromisoformat(value)
        return value, int(row_id)
    except (ValueError, TypeError) as err:
        raise DomainError(ErrorCode.INVALID, "malformed cursor", "after") from err


@dataclass(frozen=True)
class PageRequest:
    first: int = 50
    after: str | None = None

    def size(self) -> int:
        if not 1 <= self.first <= MAX_PAGE:
            raise DomainError(ErrorCode.INVALID, f"first must be between 1 and {MAX_PAGE}", "first")
        return self.first


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    sort: InstrumentedAttribute[Any],
    row_id: InstrumentedAttribute[int],
    direction: SortDirection,
    page: PageRequest,
) -> tuple[Sequence[Any], PageInfo]:
    size = page.size()
    descending = direction is SortDirection.DESC
    if page.after:
        value, last_id = _decode(page.after)
        key = tuple_(sort, row_id)
        stmt = stmt.where(key < (value, last_id) if descending else key > (value, last_id))
    order = (sort.desc(), row_id.desc()) if descending else (sort.asc(), row_id.asc())
    rows = list((await session.scalars(stmt.order_by(*order).limit(size + 1))).all())
    has_next = len(rows) > size
    rows = rows[:size]
    end = _encode(getattr(rows[-1], sort.key), rows[-1].id) if rows else None
    return rows, PageInfo(has_next_page=has_next, end_cursor=end)
