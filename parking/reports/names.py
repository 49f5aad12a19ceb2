"""Names of the lots, lanes and operators a page of detail rows mentions: one ``IN`` query each, in the
caller's scope (an operator outside it shows no name, only that there was one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.models import Operator
from parking.tenancy.models import Lane, Lot


def _wanted(ids: Iterable[int | None]) -> list[int]:
    return sorted({i for i in ids if i})


@dataclass(frozen=True)
class LotName:
    name: str
    timezone: str  # the rows' instants are shown in it


async def lot_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, LotName]:
    wanted = _wanted(ids)
    if not wanted:
        return {}
    rows = await session.execute(select(Lot.id, Lot.name, Lot.timezone).where(Lot.id.in_(wanted)))
    return {int(i): LotName(str(n), str(tz)) for i, n, tz in rows}


NO_LOT = LotName("", "Asia/Shanghai")


async def lane_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = _wanted(ids)
    if not wanted:
        return {}
    return {int(i): str(n) for i, n in await session.execute(select(Lane.id, Lane.name).where(Lane.id.in_(wanted)))}


async def operator_names(session: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    """The display name, else the user name, of each operator."""
    wanted = _wanted(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(Operator.id, Operator.display_name, Operator.username).where(Operator.id.in_(wanted))
    )
    return {int(i): str(shown or user) for i, shown, user in rows}
