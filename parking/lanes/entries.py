"""A reading at an entry lane: decide, retire a stay the car left open, open its new stay."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from parking.lanes import context, late_pairs
from parking.lanes.decisions import (
    REPEAT_WINDOW,
    Action,
    Decision,
    EntryFacts,
    LaneInfo,
    Reading,
    Reason,
    decide_entry,
)
from parking.lanes.stays import close_stay, occupy_at_commit, open_stay_of, outer_area
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import DuplicateEntryPolicy, VehicleCategory
from parking.tenancy.models import Lot
from parking.vehicles.standing import Standing

_STAYS = cast(Table, ParkingSession.__table__)
_NEW_STAY = insert(_STAYS).returning(_STAYS.c.id)


async def on_entry(
    tx: AsyncSession, site: context.LaneSite, read: Reading, offline: bool, info: LaneInfo, now: datetime
) -> tuple[Decision, int | None]:
    """The entry decision and the stay it opened or found; ``offline``: the edge or camera decided while cut off."""
    lot = site.lot
    if not read.identified:  # a no-plate car that nobody has scanned for yet
        return decide_entry(EntryFacts(read, info, Standing(VehicleCategory.TEMPORARY), 0)), None
    facts = await context.load_plate(tx, lot.id, read.plate)
    standing = context.standing_of(facts, read.at, site.tz)
    stay, arrears_fen = await _open_stay_and_arrears(tx, lot, read)
    past = None
    if late_pairs.replayed_late(read, offline, stay):
        past = await late_pairs.past_entry(tx, lot.id, read, stay)
        if past is not None:
            stay = None
    group_full = standing.group_id is not None and await _group_full(tx, standing.group_id, facts)
    decision = decide_entry(
        EntryFacts(
            read,
            info,
            standing,
            read.at.astimezone(site.tz).hour,
            open_stay=open_stay_of(stay),
            free_spaces=lot.capacity - facts.lot_occupied,
            arrears_fen=arrears_fen,
            group_full=group_full,
            duplicate_policy=lot.duplicate_entry_policy,
        )
    )
    if offline:
        decision = _as_let_in_offline(decision)
    if past is not None:
        return decision, await late_pairs.settle_past_entry(tx, site, read, facts, decision.category, past, now)
    if decision.reason is Reason.ALREADY_INSIDE and stay is not None:
        return decision, stay.id
    if not (decision.opens and decision.new_session):
        return decision, None
    if stay is not None:
        await _retire_duplicate(tx, site, stay, facts, now)
    return decision, await _new_stay(tx, site, read, facts, decision, standing, group_full)


def _as_let_in_offline(decision: Decision) -> Decision:
    """The edge or camera already let this car in while we were unreachable: record what happened."""
    if not decision.opens and decision.reason is not Reason.ALREADY_INSIDE:
        return replace(decision, action=Action.OPEN, new_session=True)
    return decision


async def _open_stay_and_arrears(tx: AsyncSession, lot: Lot, read: Reading) -> tuple[ParkingSession | None, int]:
    """The car's open stay in the lot and what its other stays owe."""
    if read.driver_key is None:
        stays = await context.plate_stays(tx, lot, read.plate, read.at - REPEAT_WINDOW)
        return stays.open, stays.arrears_fen()
    stay = await context.open_stay(tx, lot.id, read.plate, read.driver_key)
    return stay, await context.arrears_of(tx, lot.customer_id, read.plate, driver_key=read.driver_key)


async def _group_full(tx: AsyncSession, group_id: int, facts: context.PlateFacts) -> bool:
    """Every space of the car's vehicle group is taken by the group's other cars."""
    return await context.group_inside(tx, group_id) >= facts.group_spaces.get(group_id, 0)


async def _retire_duplicate(
    tx: AsyncSession, site: context.LaneSite, old: ParkingSession, facts: context.PlateFacts, now: datetime
) -> None:
    """A car read at entry while its earlier stay is still open: the lot's policy says what that stay becomes."""
    policy = site.lot.duplicate_entry_policy
    if policy is DuplicateEntryPolicy.FLAG_ABNORMAL:
        await close_stay(tx, old, now, None, state=SessionState.ABNORMAL, note="entered again while inside")
    elif policy is DuplicateEntryPolicy.CARRY_AS_ARREARS:
        owed = await context.bill_stay(tx, site.lot, old, facts, now)
        await close_stay(
            tx,
            old,
            now,
            None,
            fee_due_fen=owed.fee_fen,
            arrears_fen=owed.parking_due_fen,
            note="entered again while inside: carried as arrears",
        )
    else:
        await close_stay(
            tx, old, now, None, fee_due_fen=0, release_method=ReleaseMethod.FREE, note="closed by a new entry"
        )
    occupy_at_commit(tx, site.lot.id, outer_area(site), -1)


async def _flush_pending(tx: AsyncSession) -> None:
    """ORM changes go out before a Core statement that must come after them."""
    if tx.new or tx.dirty or tx.deleted:
        await tx.flush()


async def _new_stay(
    tx: AsyncSession,
    site: context.LaneSite,
    read: Reading,
    facts: context.PlateFacts,
    decision: Decision,
    standing: Standing,
    group_full: bool,
) -> int:
    """Insert the car's new stay and count its space at commit."""
    lot = site.lot
    overflow = group_full and standing.group_id is not None
    await _flush_pending(tx)  # the retired stay first: the open-stay index allows one per plate
    conn = await tx.connection()
    new_id = (
        await conn.execute(
            _NEW_STAY,
            {
                "agent_id": lot.agent_id,
                "customer_id": lot.customer_id,
                "lot_id": lot.id,
                "area_id": outer_area(site),
                "plate": read.plate,
                "plate_color": read.color,
                "vehicle_class": context.class_of(facts, read.color),
                "category": decision.category,
                "driver_key": read.driver_key,
                "entry_at": read.at,
                "entry_lane_id": site.lane.id,
                "pass_id": standing.pass_id,
                "group_id": standing.group_id,
                "group_overflow": overflow,
                "note": "group spaces full: paying as temporary" if overflow else "",
            },
        )
    ).scalar_one()
    occupy_at_commit(tx, lot.id, outer_area(site), +1)
    return int(new_id)
