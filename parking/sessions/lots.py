"""Deleting a lot: refused while it has parking records, which would cascade away with it in the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import ScopeLevel
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from parking.tenancy.service import require_level


async def delete_lot(session: AsyncSession, actor: Actor, lot_id: str) -> int:
    require_level(actor, ScopeLevel.PLATFORM, ScopeLevel.AGENT, ScopeLevel.CUSTOMER)
    lot = await crud.get(session, Lot, lot_id)
    # Parking records cascade with their lot in the database, so only this check keeps them from vanishing.
    if await session.scalar(select(ParkingSession.id).where(ParkingSession.lot_id == lot.id).limit(1)) is not None:
        raise DomainError(ErrorCode.IN_USE, "lot has parking records and cannot be deleted")
    return await crud.delete(session, actor, lot)
