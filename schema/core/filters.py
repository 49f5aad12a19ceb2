"""Filter helpers shared by the list queries of every domain: each adds a condition only when a value is given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement

from parking.common.crud import parse_id
from parking.common.errors import DomainError, ErrorCode
from parking.plates import InvalidPlate, normalize_plate


def plate_like(raw: str) -> str:
    """A full plate normalised (so 京a12345 finds 京A12345); a fragment is matched as typed, upper-cased."""
    try:
        return normalize_plate(raw)
    except InvalidPlate:
        return raw.strip().upper()


def aware(value: datetime, field: str) -> datetime:
    # A naive instant is ambiguous across lots in different time zones; refuse it instead of guessing.
    if value.tzinfo is None:
        raise DomainError(ErrorCode.INVALID, f"{field} needs a time zone offset", field)
    return value


def equal_id(where: list[ColumnElement[bool]], column: Any, raw: Any, field: str) -> None:
    if raw is not None:
        where.append(column == parse_id(raw, field))


def equal(where: list[ColumnElement[bool]], column: Any, value: Any) -> None:
    if value is not None:
        where.append(column == value)


def between(
    where: list[ColumnElement[bool]], column: Any, start: datetime | None, end: datetime | None, field: str
) -> None:
    """Half-open range [start, end) on a datetime column."""
    if start is not None:
        where.append(column >= aware(start, f"{field}From"))
    if end is not None:
        where.append(column < aware(end, f"{field}To"))


def plate(where: list[ColumnElement[bool]], column: Any, raw: str | None) -> None:
    if raw:
        where.append(column.contains(plate_like(raw), autoescape=True))


def where() -> list[ColumnElement[bool]]:
    """An empty list of conditions for a list query to add to."""
    return []
