"""A reading at an exit lane: find the stay the car leaves from, bill it, decide, close it or hold the car."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.lanes import context, late_pairs, ports
from parking.lanes.decisions import REPEAT_WINDOW, Decision, ExitFacts, LaneInfo, Reading, decide_exit
from parking.lanes.sites import SiteCache
from parking.lanes.stays import (
    close_stay,
    closing_at_exit,
    occupy_at_commit,
    open_stay_of,
    redeem_bill_coupons,
    settle_group,
)
from parking.plate_match import fuzzy_candidates
from parking.sessions.billing import Bill
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Lot
from parking.vehicles.standing import Standing


async def on_exit(
    tx: AsyncSession,
    site: context.LaneSite,
    read: Reading,
    offline: bool,
    info: LaneInfo,
    sites: SiteCache | None,
) -> tuple[Decision, int | None]:
    """The exit decision and the stay it closed, held or just saw leave; ``offline``: the edge or camera decided
    while cut off. ``sites`` serves the lot's tariffs from memory."""
    lot = site.lot
    if not read.identified:  # a no-plate car that nobody has scanned for yet
        return decide_exit(ExitFacts(read, info, Standing(VehicleCategory.TEMPORARY), None, None)), None
    facts = await context.load_plate(tx, lot.id, read.plate)
    standing = context.standing_of(facts, read.at, site.tz)
    # A stay closed by a later exit (records replayed out of order) is not this car's last exit; an online repeat
    # read may still come stamped a little before it by a second camera's clock.
    until = read.at if offline else read.at + REPEAT_WINDOW
    stay, plate_stays = await _stays_at_exit(tx, lot, read, until)
    if late_pairs.replayed_late(read, offline, stay):
        past = await late_pairs.past_exit(tx, site, read, facts)
        if past is not None:
            return past
        stay = None  # the open stay began after this exit: it is not the one this car left from
    if stay is None:
        left_id, misread = await _without_open_stay(tx, lot, read, plate_stays, until)
        bill = None
    else:
        left_id, misread = None, []
        bill = await _bill(tx, site, stay, facts, read.at, sites, plate_stays)
    decision = decide_exit(
        ExitFacts(
            read,
            info,
            standing,
            open_stay_of(stay),
            bill,
            misread,
            lot.settings.no_entry_fee_fen,
            just_left=left_id is not None,
            frictionless=await ports.deducts_at_exit(tx, lot, stay, bill),
        )
    )
    if stay is None or bill is None:
        return decision, left_id
    return await _close(tx, site, stay, bill, decision, offline, read.at), stay.id


async def candidates(tx: AsyncSession, lot_id: int, read: str) -> list[str]:
    """The plates inside that ``read`` (a plate, or text that is none) may be a misreading of."""
    open_plates = await tx.scalars(
        select(ParkingSession.plate).where(
            ParkingSession.lot_id == lot_id,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
        )
    )
    return [c.plate for c in fuzzy_candidates(read, open_plates)]


async def _stays_at_exit(
    tx: AsyncSession, lot: Lot, read: Reading, until: datetime
) -> tuple[ParkingSession | None, context.PlateStays | None]:
    """The car's open stay, and for a plate (not a no-plate driver) all its stays the exit needs in one query."""
    if read.driver_key is None:
        stays = await context.plate_stays(tx, lot, read.plate, read.at - REPEAT_WINDOW, until)
        return stays.open, stays
    return await context.open_stay(tx, lot.id, read.plate, read.driver_key), None


async def _without_open_stay(
    tx: AsyncSession, lot: Lot, read: Reading, plate_stays: context.PlateStays | None, until: datetime
) -> tuple[int | None, list[str]]:
    """No open stay to close: the stay the car left moments ago (a repeat read), or else the plates inside that
    this reading may be a misreading of."""
    if plate_stays is not None:
        left_id = plate_stays.left_id
    else:
        left_id = await context.just_left(
            tx, lot.id, read.plate, read.at - REPEAT_WINDOW, until, driver_key=read.driver_key
        )
    if left_id is None and read.driver_key is None:
        return None, await candidates(tx, lot.id, read.plate)
    return left_id, []


async def _bill(
    tx: AsyncSession,
    site: context.LaneSite,
    stay: ParkingSession,
    facts: context.PlateFacts,
    at: datetime,
    sites: SiteCache | None,
    plate_stays: context.PlateStays | None,
) -> Bill:
    """What the stay owes at this exit, with the lot's tariffs from ``sites`` when it has them."""
    arrears_fen = plate_stays.arrears_fen(exclude=stay.id) if plate_stays is not None else None
    return await context.bill_stay(
        tx,
        site.lot,
        stay,
        facts,
        at,
        lot_has_inner=site.lot_has_inner,
        book=await sites.tariffs(tx, site.lot.id) if sites is not None else None,
        arrears_fen=arrears_fen,
        lot_has_coupons=site.lot_has_coupons,
    )


async def _close(
    tx: AsyncSession,
    site: context.LaneSite,
    stay: ParkingSession,
    bill: Bill,
    decision: Decision,
    offline: bool,
    at: datetime,
) -> Decision:
    """Close the stay the decision lets out (or note what it owes while the car is held)."""
    decision, closing = closing_at_exit(decision, bill, stay.category, offline)
    if closing is None:
        stay.fee_due_fen = bill.fee_fen
        return decision
    if await close_stay(tx, stay, at, site.lane.id, inner=site.lot_has_inner, **closing):
        await redeem_bill_coupons(tx, stay.id, bill, at)
        occupy_at_commit(tx, site.lot.id, stay.area_id, -1)
        if not stay.group_overflow:
            await settle_group(tx, stay.group_id, at)
    return decision
