"""Pairing the halves of a stay whose offline entry and exit reached the cloud in the wrong order.

The edge replays what it decided alone in its own order, but two outboxes (an edge restarted mid-outage) or a
camera's own offline records can interleave, so an exit may arrive before the entry of its stay. Such an exit
finds no open stay and is kept as an *orphan exit* (an offline exit event with no session); an entry that
arrives after a later stay of the same car began is kept as an *orphan entry* (an offline entry that opened and
has no session). When the missing half arrives, the two make one stay, created already closed. A half only pairs
with the nearest orphan on its side of time that no other stay of the car separates from it, and an offline exit
that falls inside a stay a later offline exit closed ends that stay instead (the later exit waits again).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import resolve_open
from parking.lanes import context
from parking.lanes.decisions import Action, Decision, ExitFacts, OpenStay, Reading, Reason, decide_exit
from parking.lanes.stays import (
    close_stay,
    closing_at_exit,
    occupy_at_commit,
    outer_area,
    redeem_bill_coupons,
    release_method,
)
from parking.plates import NO_PLATE
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.enums import VehicleCategory


def _stays_of(lot_id: int, plate: str) -> list[ColumnElement[bool]]:
    return [
        ParkingSession.lot_id == lot_id,
        ParkingSession.plate == plate,
        ParkingSession.driver_key.is_(None),
        ParkingSession.parent_id.is_(None),
    ]


async def orphan_exit_after(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The first orphan exit of this plate after ``at``, unless another stay of the car began in between."""
    next_entry = await session.scalar(
        select(func.min(ParkingSession.entry_at)).where(*_stays_of(lot_id, plate), ParkingSession.entry_at > at)
    )
    stmt = select(LaneEvent).where(
        LaneEvent.lot_id == lot_id,
        LaneEvent.plate == plate,
        LaneEvent.kind == EventKind.EXIT,
        LaneEvent.is_offline.is_(True),
        LaneEvent.session_id.is_(None),
        LaneEvent.decision_reason == Reason.EXIT_WITHOUT_ENTRY.value,
        LaneEvent.at > at,
    )
    if next_entry is not None:
        stmt = stmt.where(LaneEvent.at < next_entry)
    return await session.scalar(stmt.order_by(LaneEvent.at, LaneEvent.id).limit(1).with_for_update())


async def orphan_entry_before(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The last orphan entry of this plate before ``at``, unless another stay of the car ended in between."""
    last_exit = await session.scalar(
        select(func.max(ParkingSession.exit_at)).where(*_stays_of(lot_id, plate), ParkingSession.exit_at < at)
    )
    stmt = select(LaneEvent).where(
        LaneEvent.lot_id == lot_id,
        LaneEvent.plate == plate,
        LaneEvent.kind == EventKind.ENTRY,
        LaneEvent.is_offline.is_(True),
        LaneEvent.session_id.is_(None),
        LaneEvent.opened.is_(True),
        LaneEvent.at < at,
    )
    if last_exit is not None:
        stmt = stmt.where(LaneEvent.at > last_exit)
    return await session.scalar(stmt.order_by(LaneEvent.at.desc(), LaneEvent.id.desc()).limit(1).with_for_update())


async def exit_after_inside(session: AsyncSession, lot_id: int, plate: str, at: datetime) -> LaneEvent | None:
    """The offline exit that closed a stay of this plate which began before ``at`` and ended after it.

    Such a stay was paired with an exit too late for it (records came as: exit 4, entry 1, then exit 2): the
    exit at ``at`` is its real end, and that later exit belongs to an entry still to come.
    """
    return await session.scalar(
        select(LaneEvent)
        .join(ParkingSession, ParkingSession.id == LaneEvent.session_id)
        .where(
            *_stays_of(lot_id, plate),
            ParkingSession.state != SessionState.IN_LOT,
            ParkingSession.entry_at < at,
            ParkingSession.exit_at > at,
            LaneEvent.kind == EventKind.EXIT,
            LaneEvent.is_offline.is_(True),
            LaneEvent.at == ParkingSession.exit_at,
        )
        .order_by(ParkingSession.entry_at.desc())
        .limit(1)
        .with_for_update()
    )


async def resolve_exit_alarm(session: AsyncSession, orphan: LaneEvent, now: datetime) -> None:
    """The orphan exit raised "exit without entry"; its entry has come, so the alarm is answered."""
    await resolve_open(
        session,
        AlarmKind.EXIT_WITHOUT_ENTRY,
        now,
        "its entry was replayed after it",
        lane_id=orphan.lane_id,
        plate=orphan.plate,
    )


def replayed_late(read: Reading, offline: bool, stay: ParkingSession | None) -> bool:
    """An offline record with no open stay to act on, or older than the open one: it may belong to a past stay."""
    if not offline or read.driver_key is not None or read.plate == NO_PLATE:
        return False
    return stay is None or stay.entry_at > read.at


@dataclass(frozen=True, slots=True)
class PastEntry:
    """An entry replayed after the stay it began was over, and the orphan exit that ended it if that has come."""

    orphan_exit: LaneEvent | None


async def past_entry(tx: AsyncSession, lot_id: int, read: Reading, stay: ParkingSession | None) -> PastEntry | None:
    """Whether an entry replayed late begins a stay that is over; None when it begins the car's stay now."""
    later_exit = await orphan_exit_after(tx, lot_id, read.plate, read.at)
    # Its exit came first, or the car has come in again since: this entry begins a stay that is over.
    if later_exit is None and stay is None:
        return None
    return PastEntry(later_exit)


async def settle_past_entry(
    tx: AsyncSession,
    site: context.LaneSite,
    read: Reading,
    facts: context.PlateFacts,
    category: VehicleCategory,
    past: PastEntry,
    now: datetime,
) -> int | None:
    """Make the stay a past entry began, once its exit is on record; until then the entry waits as an orphan."""
    if past.orphan_exit is None:
        return None  # an orphan entry: its exit, when replayed, makes the stay
    return await _pair_with_exit(tx, site, read, facts, category, past.orphan_exit, now)


async def past_exit(
    tx: AsyncSession, site: context.LaneSite, read: Reading, facts: context.PlateFacts
) -> tuple[Decision, int | None] | None:
    """An exit replayed late that ends a past stay: one made with its orphan entry, or one a later exit closed.

    None when it ends none: the open stay, if any, began after this exit and is not the one this car left from.
    """
    entry = await orphan_entry_before(tx, site.lot.id, read.plate, read.at)
    if entry is not None:
        return await _pair_with_entry(tx, site, read, facts, entry)
    spanned = await exit_after_inside(tx, site.lot.id, read.plate, read.at)
    if spanned is not None:
        return await _split_stay(tx, site, read, facts, spanned)
    return None


async def _pair_with_exit(
    tx: AsyncSession,
    site: context.LaneSite,
    read: Reading,
    facts: context.PlateFacts,
    category: VehicleCategory,
    orphan: LaneEvent,
    now: datetime,
) -> int:
    """An entry replayed after its stay's exit: make the stay and give the waiting exit event its outcome."""
    exit_site = await context.load_site(tx, orphan.lane_id)
    assert exit_site is not None
    left = Reading(orphan.plate, orphan.plate_color, orphan.confidence, orphan.at)
    stay_id, decision = await _past_stay(tx, site, read, category, exit_site, left, facts)
    orphan.session_id = stay_id
    orphan.opened = decision.opens
    orphan.decision_reason = decision.reason.value
    await resolve_exit_alarm(tx, orphan, now)
    return stay_id


async def _pair_with_entry(
    tx: AsyncSession, site: context.LaneSite, read: Reading, facts: context.PlateFacts, orphan: LaneEvent
) -> tuple[Decision, int | None]:
    """An exit replayed after an entry that was kept waiting: the two make the stay."""
    entry_site = await context.load_site(tx, orphan.lane_id)
    assert entry_site is not None
    entry = Reading(orphan.plate, orphan.plate_color, orphan.confidence, orphan.at)
    category = context.standing_of(facts, orphan.at, entry_site.tz).category
    stay_id, decision = await _past_stay(tx, entry_site, entry, category, site, read, facts)
    orphan.session_id = stay_id
    return decision, stay_id


async def _past_stay(
    tx: AsyncSession,
    entry_site: context.LaneSite,
    entry: Reading,
    category: VehicleCategory,
    exit_site: context.LaneSite,
    left: Reading,
    facts: context.PlateFacts,
) -> tuple[int, Decision]:
    """The stay an entry and an exit make when they came in the wrong order.

    It is created closed, so it never holds the car's open-stay slot nor a space, and is billed and closed as its
    exit would have closed it had the records come in order.
    """
    lot = entry_site.lot
    standing = context.standing_of(facts, entry.at, entry_site.tz)
    stay = ParkingSession(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        area_id=outer_area(entry_site),
        plate=entry.plate,
        plate_color=entry.color,
        vehicle_class=context.class_of(facts, entry.color),
        category=category,
        entry_at=entry.at,
        entry_lane_id=entry_site.lane.id,
        pass_id=standing.pass_id,
        group_id=standing.group_id,
        state=SessionState.EXITED,
        exit_at=left.at,
        exit_lane_id=exit_site.lane.id,
    )
    tx.add(stay)
    await tx.flush()
    return stay.id, await _settle_closed(tx, stay, exit_site, left, facts)


async def _split_stay(
    tx: AsyncSession, site: context.LaneSite, read: Reading, facts: context.PlateFacts, spanned: LaneEvent
) -> tuple[Decision, int | None]:
    """An exit replayed inside a stay that a later exit closed: this exit ends that stay, and the later exit waits
    again as an orphan for the entry that comes between."""
    stay = await tx.get(ParkingSession, spanned.session_id)
    assert stay is not None
    spanned.session_id = None
    spanned.opened = False
    spanned.decision_reason = Reason.EXIT_WITHOUT_ENTRY.value
    decision = await _settle_closed(tx, stay, site, read, facts)
    # The car came in again between the two exits and is recorded inside: the later exit is that stay's end.
    inside = await context.open_stay(tx, site.lot.id, read.plate)
    if inside is not None and inside.entry_at < spanned.at:
        await _close_with(tx, inside, spanned, facts)
    return decision, stay.id


async def _settle_closed(
    tx: AsyncSession, stay: ParkingSession, exit_site: context.LaneSite, left: Reading, facts: context.PlateFacts
) -> Decision:
    """Bill and close a stay that is not open (made or moved by a late record) as this exit closes it in order."""
    stay.exit_at, stay.exit_lane_id = left.at, exit_site.lane.id
    stay.arrears_fen, stay.note = 0, ""
    decision, closing = await _exit_in_order(tx, stay, exit_site, left, facts)
    for name, value in closing.items():
        setattr(stay, name, value)
    return decision


async def _close_with(tx: AsyncSession, stay: ParkingSession, exit_event: LaneEvent, facts: context.PlateFacts) -> None:
    """Close an open stay with an offline exit already on record, as that exit would have closed it in order."""
    site = await context.load_site(tx, exit_event.lane_id)
    assert site is not None
    left = Reading(exit_event.plate, exit_event.plate_color, exit_event.confidence, exit_event.at)
    decision, closing = await _exit_in_order(tx, stay, site, left, facts)
    if await close_stay(tx, stay, left.at, site.lane.id, inner=site.lot_has_inner, **closing):
        occupy_at_commit(tx, stay.lot_id, stay.area_id, -1)
        exit_event.session_id = stay.id
        exit_event.opened = decision.opens
        exit_event.decision_reason = decision.reason.value


async def _exit_in_order(
    tx: AsyncSession, stay: ParkingSession, site: context.LaneSite, left: Reading, facts: context.PlateFacts
) -> tuple[Decision, dict[str, Any]]:
    """The exit decision and what closing the stay writes, as they would have been had the records come in order."""
    bill = await context.bill_stay(
        tx, site.lot, stay, facts, left.at, lot_has_inner=site.lot_has_inner, lot_has_coupons=site.lot_has_coupons
    )
    decision = decide_exit(
        ExitFacts(
            left,
            context.lane_info(site),
            context.standing_of(facts, left.at, site.tz),
            OpenStay(stay.id, stay.entry_at, stay.entry_lane_id),
            bill,
        )
    )
    decision, closing = closing_at_exit(decision, bill, stay.category, offline=True)
    if closing is None:  # held for an operator at an attended lane, but the car has long left
        decision = replace(decision, action=Action.OPEN)
        closing = {"fee_due_fen": bill.fee_fen, "release_method": release_method(bill, stay.category)}
    await redeem_bill_coupons(tx, stay.id, bill, left.at)  # every caller closes the stay as billed here
    return decision, closing
