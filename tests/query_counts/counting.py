"""Counting the SQL statements an operation sends, and saying which ones when the count is not the pinned one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from parking.common.database import Database
from tests.query_counts.pinned import PINNED


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs (transaction control is not a statement)."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


def _listing(seen: list[str]) -> str:
    return "\n".join(f"  {n}. {' '.join(sql.split())[:240]}" for n, sql in enumerate(seen, 1))


def check(name: str, backend: str, few: list[str], many: list[str]) -> None:
    """As many statements as pinned with 5 rows per list, and as many with 2 (nothing runs per row, unless the
    pin owns up to it)."""
    pinned = PINNED.get(name)
    assert pinned is not None, (
        f"{name} on {backend}: {len(many)} statements, not pinned in tests/query_counts/pinned.py"
    )
    assert len(many) - len(few) == 3 * pinned.per_row, (
        f"{name} on {backend}: {len(few)} statements with 2 rows per list, {len(many)} with 5 "
        f"(pinned {pinned.per_row} per row)\nwith 2 rows:\n{_listing(few)}\nwith 5 rows:\n{_listing(many)}"
    )
    expected = pinned.sqlite if backend == "sqlite" else pinned.postgres
    assert len(many) == expected, (
        f"{name} on {backend}: {len(many)} statements, pinned {expected} in tests/query_counts/pinned.py "
        f"(update the pin only if the change is meant to cost them)\n{_listing(many)}"
    )
