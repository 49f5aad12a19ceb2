"""Local calendar labels of stored UTC timestamps, computed in SQL in each row's own time zone.

Lots keep their time zone by name (``Asia/Shanghai``), so "revenue per day" must bucket each row by its lot's
local day inside the aggregate query. PostgreSQL does that with ``AT TIME ZONE``; SQLite has no time-zone
database, so the SQLite engine gets a small deterministic function (registered on connect, see
``parking.common.database``) that does the same with ``zoneinfo``. Both render the same text labels:
``YYYY-MM-DD`` for a day, ``YYYY-MM-DD HH`` for an hour.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "parkcloud_local"

# strftime formats for SQLite and to_char formats for PostgreSQL, producing identical labels.
_DAY = ("%Y-%m-%d", "YYYY-MM-DD")
_HOUR = ("%Y-%m-%d %H", "YYYY-MM-DD HH24")


class LocalDay(FunctionElement[str]):
    """``local_day(utc_column, timezone_column)``: the row's local date as ``YYYY-MM-DD``."""

    type = String()
    inherit_cache = True
    name = "local_day"


class LocalHour(FunctionElement[str]):
    """``local_hour(utc_column, timezone_column)``: the row's local hour as ``YYYY-MM-DD HH``."""

    type = String()
    inherit_cache = True
    name = "local_hour"


def _formats(element: FunctionElement[str]) -> tuple[str, str]:
    return _DAY if isinstance(element, LocalDay) else _HOUR


@compiles(LocalDay, "postgresql")
@compiles(LocalHour, "postgresql")
def _postgresql(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    at, tz = (compiler.process(clause, **kw) for clause in element.clauses)
    # Formats are fixed literals (never bound), so GROUP BY repeats exactly the selected expression.
    return f"to_char(({at}) AT TIME ZONE ({tz}), '{_formats(element)[1]}')"


@compiles(LocalDay, "sqlite")
@compiles(LocalHour, "sqlite")
def _sqlite(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    at, tz = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{SQLITE_FUNCTION}({at}, {tz}, '{_formats(element)[0]}')"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def sqlite_local(value: str | None, timezone: str | None, fmt: str) -> str | None:
    """The SQLite side of LocalDay/LocalHour: SQLite keeps UTC datetimes as naive ISO text."""
    if value is None or timezone is None:
        return None
    at = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return at.astimezone(_zone(timezone)).strftime(fmt)
