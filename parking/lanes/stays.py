"""Stays and the counters they move: closing a stay, freeing its space, moving a waiting group car onto it.

Shared by the lane paths (entry, exit, late pairing) and by whatever lets a car out outside a reading (payment,
remote open, the seat's corrections).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.lanes import context
from parking.lanes.decisions import Action, Decision, OpenStay
from parking.lanes.last_writes import Occupancy
from parking.merchants.redemption import redeem
from parking.sessions.billing import Bill
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Area, Lot

_OCCUPANCY = "lane_flow_occupancy"


async def occupy(tx: AsyncSession, lot_id: int | None, area_id: int | None, delta: int) -> None:
    """Atomic counters, never below zero: concurrent entries and exits cannot lose an update."""
    for model, key in ((Lot, lot_id), (Area, area_id)):
        if key is None:
            continue
        value = model.occupied + 1 if delta > 0 else case((model.occupied > 0, model.occupied - 1), else_=0)
        await tx.execute(
            update(model).where(model.id == key).values(occupied=value).execution_options(synchronize_session=False)
        )


def occupy_at_commit(tx: AsyncSession, lot_id: int | None, area_id: int | None, delta: int) -> None:
    """Change the counters as the transaction's last statements: every reading of a lot updates the lot's row,
    and the row lock is held until commit, so taking it last keeps concurrent readings from queueing on it."""
    tx.info.setdefault(_OCCUPANCY, []).append(Occupancy(lot_id, area_id, delta))


def pop_occupancy(tx: AsyncSession) -> list[Occupancy]:
    """The counter changes ``occupy_at_commit`` kept, taken off the transaction for the reading's last writes."""
    return cast(list[Occupancy], tx.info.pop(_OCCUPANCY, []))


async def close_stay(
    tx: AsyncSession,
    stay: ParkingSession,
    now: datetime,
    lane_id: int | None,
    *,
    inner: bool = True,
    **values: object,
) -> bool:
    """Close an open stay unless a concurrent exit already did (the conditional update tells).

    An outer stay takes its open inner-lot stays with it: a car whose inner exit was not read has still left.
    """
    result = await tx.execute(
        update(ParkingSession)
        .where(ParkingSession.id == stay.id, ParkingSession.state == SessionState.IN_LOT)
        .values(state=values.pop("state", SessionState.EXITED), exit_at=now, exit_lane_id=lane_id, **values)
        .execution_options(synchronize_session=False)
    )
    closed = bool(getattr(result, "rowcount", 0))
    if closed and inner and stay.parent_id is None:
        await _close_inner_stays(tx, stay.id, now)
    return closed


async def redeem_bill_coupons(tx: AsyncSession, stay_id: int, bill: Bill, now: datetime) -> None:
    """A stay that closes on this bill consumes the coupons it used (what is left of its fee was paid, is
    arrears, or was nothing). Nothing to do when an earlier payment of the stay redeemed them all."""
    if any(not u.redeemed for u in bill.coupons):
        await redeem(tx, stay_id, {u.coupon_id: u.discount_fen for u in bill.coupons}, now)


async def leave(tx: AsyncSession, stay: ParkingSession, now: datetime, lane_id: int | None, **values: Any) -> bool:
    """A car let out outside a reading (payment, remote open): close its stay, free its space, and move a waiting
    group car onto the space. False when a concurrent exit already closed it."""
    if not await close_stay(tx, stay, now, lane_id, **values):
        return False
    await occupy(tx, stay.lot_id, stay.area_id, -1)
    if not stay.group_overflow:
        await settle_group(tx, stay.group_id, now)
    return True


async def _close_inner_stays(tx: AsyncSession, parent_id: int, now: datetime) -> None:
    areas = (
        await tx.execute(
            update(ParkingSession)
            .where(ParkingSession.parent_id == parent_id, ParkingSession.state == SessionState.IN_LOT)
            .values(state=SessionState.EXITED, exit_at=now, note="closed with its outer stay")
            .returning(ParkingSession.area_id)
            .execution_options(synchronize_session=False)
        )
    ).scalars()
    for area_id in areas:
        if area_id is not None:
            await occupy(tx, None, area_id, -1)


async def settle_group(tx: AsyncSession, group_id: int | None, now: datetime) -> None:
    """One of the group's cars left: the longest-waiting overflow car inside moves onto the freed space."""
    if group_id is None:
        return
    waiting = await tx.scalar(
        select(ParkingSession)
        .where(
            ParkingSession.group_id == group_id,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.group_overflow.is_(True),
        )
        .order_by(ParkingSession.entry_at, ParkingSession.id)
        .limit(1)
    )
    if waiting is not None:
        waiting.group_overflow = False
        waiting.covered_from = now
        waiting.note = "moved onto a group space"


def outer_area(site: context.LaneSite) -> int | None:
    """The area a stay entering at this lane counts against: an inner lot's gates make child stays instead."""
    return site.area.id if site.area is not None and not site.area.is_inner else None


def release_method(bill: Bill, category: VehicleCategory) -> ReleaseMethod:
    """How a car let out at an exit left, as the stay records it."""
    if bill.paid_fen > 0:
        return ReleaseMethod.PREPAID
    if bill.fee_fen == 0 and category is VehicleCategory.TEMPORARY:
        return ReleaseMethod.FREE
    return ReleaseMethod.AUTOMATIC


def closing_at_exit(
    decision: Decision, bill: Bill, category: VehicleCategory, offline: bool
) -> tuple[Decision, dict[str, Any] | None]:
    """What closing the stay at this exit writes; None when the stay stays open (the car is held)."""
    if offline and not decision.close_session:
        # Let out while the lot was offline without paying: what it owed becomes arrears.
        return replace(decision, action=Action.OPEN, close_session=True), {
            "fee_due_fen": bill.fee_fen,
            "arrears_fen": bill.parking_due_fen,
            "release_method": ReleaseMethod.AUTOMATIC,
            "note": "left while offline without paying",
        }
    if decision.close_session and decision.opens:
        return decision, {"fee_due_fen": bill.fee_fen, "release_method": release_method(bill, category)}
    return decision, None


def open_stay_of(stay: ParkingSession | None) -> OpenStay | None:
    """The open stay as the pure decisions see it."""
    return OpenStay(stay.id, stay.entry_at, stay.entry_lane_id) if stay is not None else None
