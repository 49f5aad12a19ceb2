"""A plate's open stays and what they owe now, for anyone who types the plate (as at every pay station).

The plate is shown masked and each stay is named by a signed, short-lived stay token (for ``paymentCreate``),
never by its id. A plate is in at most one lot at a time (a stay per lot at most), so the few stays are billed
one by one; ``MAX_STAYS`` bounds them whatever the data says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.drivers.plates import parse_plate
from parking.lanes import context
from parking.payments.anonymous import issue_stay_token, masked_plate
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

MAX_STAYS = 5


@dataclass(frozen=True, slots=True)
class DriverStay:
    lot_id: int
    lot_name: str
    entered_at: datetime
    owed_fen: int
    stay_token: str
    masked_plate: str
    paid_fen: int
    coupon_fen: int
    # After a payment in the lot: the driver leaves free until then (the lot's prepay grace).
    grace_ends_at: datetime | None


async def plate_stays(session: AsyncSession, secret: str, raw_plate: str, now: datetime) -> list[DriverStay]:
    """The plate's open stays, newest first; INVALID_PLATE for text that is not a plate."""
    plate = parse_plate(raw_plate)
    rows = await session.execute(
        select(ParkingSession, Lot)
        .join(Lot, Lot.id == ParkingSession.lot_id)
        .where(
            ParkingSession.plate == plate,
            ParkingSession.driver_key.is_(None),
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
        )
        .order_by(ParkingSession.entry_at.desc(), ParkingSession.id.desc())
        .limit(MAX_STAYS)
    )
    found: list[DriverStay] = []
    for stay, lot in rows:
        bill = await context.bill_stay(session, lot, stay, await context.load_plate(session, lot.id, plate), now)
        grace = (
            stay.last_paid_at + timedelta(minutes=lot.prepay_grace_minutes) if stay.last_paid_at is not None else None
        )
        found.append(
            DriverStay(
                lot_id=lot.id,
                lot_name=lot.name,
                entered_at=stay.entry_at,
                owed_fen=bill.due_fen,
                stay_token=issue_stay_token(secret, stay.id, now),
                masked_plate=masked_plate(plate),
                paid_fen=stay.paid_fen,
                coupon_fen=bill.coupon_fen,
                grace_ends_at=grace,
            )
        )
    return found
