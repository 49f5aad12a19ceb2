"""Reading every row of a detail report for a download: keyset chunks (sort column, id), so a 92-day export of a
busy lot never holds one huge result set open nor skips or repeats a row that moves meanwhile."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

CHUNK = 1000


async def chunks(
    session: AsyncSession,
    stmt: Select[Any],
    sort: InstrumentedAttribute[Any],
    row_id: InstrumentedAttribute[int],
    size: int = CHUNK,
) -> AsyncIterator[Sequence[Any]]:
    """The entities ``stmt`` selects, newest ``sort`` first (ties by id), ``size`` at a time."""
    after: tuple[Any, int] | None = None
    while True:
        page = stmt if after is None else stmt.where(tuple_(sort, row_id) < after)
        rows = list((await session.scalars(page.order_by(sort.desc(), row_id.desc()).limit(size))).all())
        if rows:
            yield rows
        if len(rows) < size:
            return
        after = (getattr(rows[-1], sort.key), rows[-1].id)
