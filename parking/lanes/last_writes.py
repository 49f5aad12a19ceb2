"""A reading's last writes (its event's outcome, void pending opens, the gate command, occupancy) in one statement.

They run at the very end of the reading's transaction because the occupancy update locks the lot's row until
commit, and every reading of the lot takes that lock: the fewer round trips between it and the commit, the less
concurrent readings queue on it. On PostgreSQL they go as one statement of data-modifying CTEs; SQLite, which has
none, gets them one by one. The statements are prebuilt per shape: building them per reading costs more than
running them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Executable, Table, bindparam, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from parking.common.db import utcnow
from parking.devices.models import GateCommand, GateCommandStatus
from parking.sessions.models import LaneEvent
from parking.tenancy.models import Area, Lot

_events = cast(Table, LaneEvent.__table__)
_commands = cast(Table, GateCommand.__table__)
_lots = cast(Table, Lot.__table__)
_areas = cast(Table, Area.__table__)


@dataclass(frozen=True, slots=True)
class Occupancy:
    """One counter change: +1 or -1 on a lot's or an area's occupied spaces."""

    lot_id: int | None
    area_id: int | None
    delta: int


@dataclass(slots=True)
class LastWrites:
    event_id: int
    session_id: int | None
    opened: bool
    reason: str
    now: datetime
    # Pending commands of this lane become void (another car is at the barrier).
    void_lane_id: int | None = None
    void_why: str = ""
    # A gate command row to insert (column to value), or None.
    command: dict[str, Any] | None = None
    occupancy: list[Occupancy] = field(default_factory=list)


def _mark() -> Any:
    return (
        update(_events)
        .where(_events.c.id == bindparam("w_event_id"))
        .values(
            session_id=bindparam("w_session_id"), opened=bindparam("w_opened"), decision_reason=bindparam("w_reason")
        )
    )


def _void() -> Any:
    return (
        update(_commands)
        .where(_commands.c.lane_id == bindparam("w_void_lane_id"), _commands.c.status == GateCommandStatus.PENDING)
        .values(status=GateCommandStatus.EXPIRED, completed_at=bindparam("w_now"), result=bindparam("w_void_why"))
    )


def _command(columns: tuple[str, ...]) -> Any:
    return insert(_commands).values({c: bindparam(f"cmd_{c}", type_=_commands.c[c].type) for c in columns})


def _occupy(table: Any, key: str, delta: int) -> Any:
    value = table.c.occupied + 1 if delta > 0 else case((table.c.occupied > 0, table.c.occupied - 1), else_=0)
    stmt = update(table).where(table.c.id == bindparam(key)).values(occupied=value)
    if "updated_at" in table.c:
        # What the ORM's onupdate would stamp (the wall clock, not the reading's time).
        stmt = stmt.values(updated_at=bindparam("w_stamp"))
    return stmt


@cache
def _combined(void: bool, command: tuple[str, ...] | None, lot: int, area: int) -> Executable:
    """All of it as one PostgreSQL statement; the final SELECT only makes the CTEs run (PostgreSQL runs every
    data-modifying CTE, referenced or not, but SQLAlchemy renders only the referenced ones)."""
    parts = [_mark().returning(_events.c.id).cte("mark")]
    if void:
        parts.append(_void().returning(_commands.c.id).cte("void"))
    if command is not None:
        parts.append(_command(command).returning(_commands.c.id).cte("command"))
    if lot:
        parts.append(_occupy(_lots, "w_lot_id", lot).returning(_lots.c.id).cte("lot"))
    if area:
        parts.append(_occupy(_areas, "w_area_id", area).returning(_areas.c.id).cte("area"))
    return select(*(select(func.count()).select_from(p).scalar_subquery() for p in parts))


@cache
def _separate(void: bool, command: tuple[str, ...] | None) -> tuple[Any, ...]:
    return (*((_void(),) if void else ()), _mark(), *((_command(command),) if command is not None else ()))


def _params(writes: LastWrites) -> dict[str, Any]:
    # Prefixed names: Core takes an execution parameter named like a column as a value for that column.
    params: dict[str, Any] = {
        "w_event_id": writes.event_id,
        "w_session_id": writes.session_id,
        "w_opened": writes.opened,
        "w_reason": writes.reason,
        "w_now": writes.now,
        "w_stamp": utcnow(),
        "w_void_lane_id": writes.void_lane_id,
        "w_void_why": writes.void_why[:200],
    }
    for column, value in (writes.command or {}).items():
        params[f"cmd_{column}"] = value
    return params


def _one_each(occupancy: list[Occupancy]) -> tuple[int, int, int | None, int | None] | None:
    """(lot delta, area delta, lot id, area id) when at most one change falls on each counter, else None."""
    lots = [(o.lot_id, o.delta) for o in occupancy if o.lot_id is not None]
    areas = [(o.area_id, o.delta) for o in occupancy if o.area_id is not None]
    if len(lots) > 1 or len(areas) > 1:
        return None
    return (
        lots[0][1] if lots else 0,
        areas[0][1] if areas else 0,
        lots[0][0] if lots else None,
        areas[0][0] if areas else None,
    )


async def write(tx: AsyncSession, writes: LastWrites) -> None:
    # Whatever the ORM still holds goes first, so that nothing but the commit follows the lot's lock.
    if tx.new or tx.dirty or tx.deleted:
        await tx.flush()
    conn = await tx.connection()
    void = writes.void_lane_id is not None
    columns = tuple(sorted(writes.command)) if writes.command is not None else None
    params = _params(writes)
    single = _one_each(writes.occupancy)
    if conn.dialect.name == "postgresql" and single is not None:
        lot, area, lot_id, area_id = single
        await conn.execute(_combined(void, columns, lot, area), {**params, "w_lot_id": lot_id, "w_area_id": area_id})
        return
    for stmt in _separate(void, columns):
        await conn.execute(stmt, params)
    await _occupy_each(conn, writes.occupancy)


async def _occupy_each(conn: AsyncConnection, occupancy: list[Occupancy]) -> None:
    for change in occupancy:
        for table, key, row_id in ((_lots, "w_lot_id", change.lot_id), (_areas, "w_area_id", change.area_id)):
            if row_id is not None:
                await conn.execute(_occupy_statement(table.name, change.delta), {key: row_id, "w_stamp": utcnow()})


@cache
def _occupy_statement(table: str, delta: int) -> Any:
    return _occupy(_lots if table == "lots" else _areas, "w_lot_id" if table == "lots" else "w_area_id", delta)
