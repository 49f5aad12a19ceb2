"""A reading at a lane, end to end: record it once, decide, change the session and occupancy, answer.

The decision runs inside one short transaction and never waits on a queue: the camera's HTTP reply carries the
barrier command. Side effects (lane-event and alarm publications, recognition jobs) run after commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, case, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.database import Database, lost_connection
from parking.common.db import utcnow
from parking.common.domain_events import emit
from parking.common.events import lane_events_topic, publish_on_commit
from parking.common.scope import Scope
from parking.devices import gates
from parking.lanes import context, last_writes, late_pairs, ports, texts
from parking.lanes.decisions import (
    Action,
    Decision,
    EntryFacts,
    ExitFacts,
    LaneInfo,
    OpenStay,
    Reading,
    Reason,
    decide_entry,
    decide_exit,
    decide_inner,
)
from parking.lanes.last_writes import Occupancy
from parking.lanes.sites import SiteCache
from parking.plate_match import fuzzy_candidates
from parking.plates import NO_PLATE, PlateColor, read_plate
from parking.sessions.billing import Bill
from parking.sessions.enums import EventKind, ReadingSource, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.enums import DuplicateEntryPolicy, LaneDirection, VehicleCategory
from parking.tenancy.models import Area, Lot
from parking.vehicles.standing import Standing

logger = logging.getLogger(__name__)

ATTEMPTS = 4
_OCCUPANCY = "lane_flow_occupancy"
# A second read of the same car within this window (another lane, a repeated push) changes nothing.
REPEAT_WINDOW = timedelta(minutes=2)


class UnknownLane(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class InputNote:
    """Something wrong with the reading itself (unreadable plate text, a camera clock not believed), raised as an
    alarm with the reading's event in the decision's transaction."""

    kind: AlarmKind
    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LaneInput:
    """One reading, decoded and normalised by whoever received it (camera endpoint, QR scan, edge replay)."""

    lane_id: int
    plate: str
    color: PlateColor
    confidence: float
    at: datetime
    dedup_key: str
    device_id: int | None = None
    source: ReadingSource = ReadingSource.CAMERA
    is_offline: bool = False
    image_ref: str = ""
    driver_key: str | None = None
    notes: tuple[InputNote, ...] = ()


def gated(reading: LaneInput, now: datetime) -> LaneInput:
    """The reading as the flow takes it, whoever sent it: a plate under the grammar (anything else goes the no-plate
    way with an ``unreadable_plate`` alarm), and a replayed record never later than its arrival (a camera clock
    ahead would otherwise make a stay that ends before it began)."""
    changes: dict[str, Any] = {}
    if reading.plate != NO_PLATE:
        read = read_plate(reading.plate)
        if read.unreadable is not None:
            note = InputNote(
                AlarmKind.UNREADABLE_PLATE,
                texts.text(texts.LaneText.ALARM_UNREADABLE_PLATE, text=read.unreadable[:40]),
                {"text": read.unreadable, "image_ref": reading.image_ref},
            )
            changes.update(plate=NO_PLATE, confidence=0.0, notes=(*reading.notes, note))
        elif read.plate != reading.plate:
            changes["plate"] = read.plate
    if reading.at > now:
        changes["at"] = now
    return replace(reading, **changes) if changes else reading


@dataclass(frozen=True, slots=True)
class Outcome:
    event_id: int
    decision: Decision
    session_id: int | None = None
    duplicate: bool = False
    lot_id: int | None = None


async def handle_reading(
    db: Database, reading: LaneInput, now: datetime | None = None, *, sites: SiteCache | None = None
) -> Outcome:
    """Decide and record; a race on the open-session index (two lanes, one plate) retries and then sees it.

    A connection the database dropped (restart, failover) is retried on a fresh one: the reading's dedup key
    makes that safe even when the lost statement was the commit, since the retry then replays the recorded
    decision. ``sites`` (the API's) serves the lane, lot and tariffs from memory; without it they are read
    each time.
    """
    now = now or utcnow()
    reading = gated(reading, now)
    for attempt in range(ATTEMPTS):
        try:
            async with db.transaction(Scope.internal()) as tx:
                return await _handle(tx, reading, now, sites)
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
            logger.info("lane %s: concurrent change, deciding again", reading.lane_id)
        except DBAPIError as error:
            if attempt == ATTEMPTS - 1 or not lost_connection(error):
                raise
            logger.warning("lane %s: database connection lost, deciding again on a new one", reading.lane_id)
    raise AssertionError("unreachable")


def _claim_statement(dialect: type[postgresql.Insert] | type[sqlite.Insert]) -> Any:
    # The columns come with the values at execution.
    table = cast(Table, LaneEvent.__table__)
    return dialect(table).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(table.c.id)


# Prebuilt: the insert is the same for every reading, only its values change.
_CLAIM = {"postgresql": _claim_statement(postgresql.Insert), "sqlite": _claim_statement(sqlite.Insert)}


async def _claim(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, kind: EventKind, now: datetime
) -> int | None:
    """Insert the event unless its dedup key is known: the first of two identical pushes wins, the other replays."""
    lane = site.lane
    conn = await tx.connection()
    values = {
        "agent_id": lane.agent_id,
        "customer_id": lane.customer_id,
        "lot_id": lane.lot_id,
        "lane_id": lane.id,
        "device_id": reading.device_id,
        "kind": kind,
        "at": reading.at,
        "received_at": now,
        "plate": reading.plate[:16],
        "plate_color": reading.color,
        "confidence": reading.confidence,
        "source": reading.source,
        "image_ref": reading.image_ref,
        "dedup_key": reading.dedup_key,
        "is_offline": reading.is_offline,
        "opened": False,
        "decision_reason": "",
    }
    return (await conn.execute(_CLAIM[conn.dialect.name], values)).scalar_one_or_none()


async def _replay(tx: AsyncSession, reading: LaneInput) -> Outcome:
    event = await tx.scalar(select(LaneEvent).where(LaneEvent.dedup_key == reading.dedup_key))
    if event is None:  # pragma: no cover - the conflicting row is committed before ON CONFLICT reports it
        raise RuntimeError("dedup conflict without a row")
    action = Action.OPEN if event.opened else Action.HOLD
    try:
        reason = Reason(event.decision_reason)
    except ValueError:
        reason = Reason.WELCOME if event.opened else Reason.AWAITING_OPERATOR
    line = texts.GOODBYE if event.kind in (EventKind.EXIT, EventKind.INNER_EXIT) else texts.WELCOME
    decision = Decision(action, reason, (texts.plate_line(event.plate), line), "")
    return Outcome(event.id, decision, event.session_id, duplicate=True, lot_id=event.lot_id)


def _lane_info(site: context.LaneSite) -> LaneInfo:
    return LaneInfo(
        lane_id=site.lane.id,
        mode=site.lane.mode,
        allowed_categories=frozenset(site.lane.allowed_categories or ()),
        is_inner=site.is_inner,
        min_confidence=site.lot.settings.min_confidence,
    )


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
    occupy_at_commit(tx, site.lot.id, _outer_area(site), -1)


_STAYS = cast(Table, ParkingSession.__table__)
_NEW_STAY = insert(_STAYS).returning(_STAYS.c.id)


async def _flush_pending(tx: AsyncSession) -> None:
    """ORM changes go out before a Core statement that must come after them."""
    if tx.new or tx.dirty or tx.deleted:
        await tx.flush()


def _outer_area(site: context.LaneSite) -> int | None:
    return site.area.id if site.area is not None and not site.area.is_inner else None


def _release_method(bill: Bill, category: VehicleCategory) -> ReleaseMethod:
    if bill.paid_fen > 0:
        return ReleaseMethod.PREPAID
    if bill.fee_fen == 0 and category is VehicleCategory.TEMPORARY:
        return ReleaseMethod.FREE
    return ReleaseMethod.AUTOMATIC


def _closing(
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
        return decision, {"fee_due_fen": bill.fee_fen, "release_method": _release_method(bill, category)}
    return decision, None


def _replayed_late(reading: LaneInput, stay: ParkingSession | None) -> bool:
    """An offline record with no open stay to act on, or older than the open one: it may belong to a past stay."""
    if not reading.is_offline or reading.driver_key is not None or reading.plate == NO_PLATE:
        return False
    return stay is None or stay.entry_at > reading.at


async def _past_stay(
    tx: AsyncSession,
    entry_site: context.LaneSite,
    entry: Reading,
    category: VehicleCategory,
    exit_site: context.LaneSite,
    exit_reading: Reading,
    facts: context.PlateFacts,
) -> tuple[int, Decision]:
    """A stay whose offline entry and exit reached the cloud in the wrong order (see parking.lanes.late_pairs).

    It is created closed, so it never holds the car's open-stay slot nor a space, and is billed and closed as its
    exit would have closed it had the records come in order.
    """
    lot = entry_site.lot
    standing = context.standing_of(facts, entry.at, entry_site.tz)
    stay = ParkingSession(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        area_id=_outer_area(entry_site),
        plate=entry.plate,
        plate_color=entry.color,
        vehicle_class=context.class_of(facts, entry.color),
        category=category,
        entry_at=entry.at,
        entry_lane_id=entry_site.lane.id,
        pass_id=standing.pass_id,
        group_id=standing.group_id,
        state=SessionState.EXITED,
        exit_at=exit_reading.at,
        exit_lane_id=exit_site.lane.id,
    )
    tx.add(stay)
    await tx.flush()
    return stay.id, await _settle_closed(tx, stay, exit_site, exit_reading, facts)


async def _settle_closed(
    tx: AsyncSession,
    stay: ParkingSession,
    exit_site: context.LaneSite,
    exit_reading: Reading,
    facts: context.PlateFacts,
) -> Decision:
    """Bill and close a stay that is not open (made or moved by a late record) as this exit closes it in order."""
    category = stay.category
    stay.exit_at, stay.exit_lane_id = exit_reading.at, exit_site.lane.id
    stay.arrears_fen, stay.note = 0, ""
    bill = await context.bill_stay(
        tx, exit_site.lot, stay, facts, exit_reading.at, lot_has_inner=exit_site.lot_has_inner
    )
    decision = decide_exit(
        ExitFacts(
            exit_reading,
            _lane_info(exit_site),
            context.standing_of(facts, exit_reading.at, exit_site.tz),
            OpenStay(stay.id, stay.entry_at, stay.entry_lane_id),
            bill,
        )
    )
    decision, closing = _closing(decision, bill, category, offline=True)
    if closing is None:  # held for an operator at an attended lane, but the car has long left
        decision = replace(decision, action=Action.OPEN)
        closing = {"fee_due_fen": bill.fee_fen, "release_method": _release_method(bill, category)}
    for name, value in closing.items():
        setattr(stay, name, value)
    return decision


async def _split_stay(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, facts: context.PlateFacts, spanned: LaneEvent
) -> tuple[Decision, int | None]:
    """An exit replayed inside a stay that a later exit closed: this exit ends that stay, and the later exit waits
    again as an orphan for the entry that comes between (see parking.lanes.late_pairs)."""
    stay = await tx.get(ParkingSession, spanned.session_id)
    assert stay is not None
    spanned.session_id = None
    spanned.opened = False
    spanned.decision_reason = Reason.EXIT_WITHOUT_ENTRY.value
    left = Reading(reading.plate, reading.color, reading.confidence, reading.at)
    decision = await _settle_closed(tx, stay, site, left, facts)
    # The car came in again between the two exits and is recorded inside: the later exit is that stay's end.
    inside = await context.open_stay(tx, site.lot.id, reading.plate)
    if inside is not None and inside.entry_at < spanned.at:
        await _close_with(tx, inside, spanned, facts)
    return decision, stay.id


async def _close_with(tx: AsyncSession, stay: ParkingSession, exit_event: LaneEvent, facts: context.PlateFacts) -> None:
    """Close an open stay with an offline exit already on record, as that exit would have closed it in order."""
    site = await context.load_site(tx, exit_event.lane_id)
    assert site is not None
    left = Reading(exit_event.plate, exit_event.plate_color, exit_event.confidence, exit_event.at)
    bill = await context.bill_stay(tx, site.lot, stay, facts, left.at, lot_has_inner=site.lot_has_inner)
    decision = decide_exit(
        ExitFacts(
            left,
            _lane_info(site),
            context.standing_of(facts, left.at, site.tz),
            OpenStay(stay.id, stay.entry_at, stay.entry_lane_id),
            bill,
        )
    )
    decision, closing = _closing(decision, bill, stay.category, offline=True)
    if closing is None:
        decision = replace(decision, action=Action.OPEN)
        closing = {"fee_due_fen": bill.fee_fen, "release_method": _release_method(bill, stay.category)}
    if await close_stay(tx, stay, left.at, site.lane.id, inner=site.lot_has_inner, **closing):
        occupy_at_commit(tx, stay.lot_id, stay.area_id, -1)
        exit_event.session_id = stay.id
        exit_event.opened = decision.opens
        exit_event.decision_reason = decision.reason.value


async def _pair_with_exit(
    tx: AsyncSession,
    site: context.LaneSite,
    reading: LaneInput,
    facts: context.PlateFacts,
    category: VehicleCategory,
    orphan: LaneEvent,
    now: datetime,
) -> int:
    """An entry replayed after its stay's exit: make the stay and give the waiting exit event its outcome."""
    exit_site = await context.load_site(tx, orphan.lane_id)
    assert exit_site is not None
    entry = Reading(reading.plate, reading.color, reading.confidence, reading.at)
    left = Reading(orphan.plate, orphan.plate_color, orphan.confidence, orphan.at)
    stay_id, decision = await _past_stay(tx, site, entry, category, exit_site, left, facts)
    orphan.session_id = stay_id
    orphan.opened = decision.opens
    orphan.decision_reason = decision.reason.value
    await late_pairs.resolve_exit_alarm(tx, orphan, now)
    return stay_id


async def _pair_with_entry(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, facts: context.PlateFacts, orphan: LaneEvent
) -> tuple[Decision, int | None]:
    """An exit replayed after an entry that was kept waiting: the two make the stay."""
    entry_site = await context.load_site(tx, orphan.lane_id)
    assert entry_site is not None
    entry = Reading(orphan.plate, orphan.plate_color, orphan.confidence, orphan.at)
    category = context.standing_of(facts, orphan.at, entry_site.tz).category
    left = Reading(reading.plate, reading.color, reading.confidence, reading.at)
    stay_id, decision = await _past_stay(tx, entry_site, entry, category, site, left, facts)
    orphan.session_id = stay_id
    return decision, stay_id


async def _entry(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, info: LaneInfo, now: datetime
) -> tuple[Decision, int | None]:
    lot = site.lot
    read = Reading(reading.plate, reading.color, reading.confidence, reading.at, reading.driver_key)
    if reading.plate == NO_PLATE and reading.driver_key is None:
        return decide_entry(EntryFacts(read, info, Standing(VehicleCategory.TEMPORARY), 0)), None
    facts = await context.load_plate(tx, lot.id, reading.plate)
    standing = context.standing_of(facts, reading.at, site.tz)
    if reading.driver_key is None:
        stays = await context.plate_stays(tx, lot, reading.plate, reading.at - REPEAT_WINDOW)
        stay, arrears_fen = stays.open, stays.arrears_fen()
    else:
        stay = await context.open_stay(tx, lot.id, reading.plate, reading.driver_key)
        arrears_fen = await context.arrears_of(tx, lot.customer_id, reading.plate, driver_key=reading.driver_key)
    past = False
    later_exit = None
    if _replayed_late(reading, stay):
        later_exit = await late_pairs.orphan_exit_after(tx, lot.id, reading.plate, reading.at)
        # Its exit came first, or the car has come in again since: this entry begins a stay that is over.
        past = later_exit is not None or stay is not None
        if past:
            stay = None
    group_full = False
    if standing.group_id is not None:
        group_full = await context.group_inside(tx, standing.group_id) >= facts.group_spaces.get(standing.group_id, 0)
    decision = decide_entry(
        EntryFacts(
            read,
            info,
            standing,
            reading.at.astimezone(site.tz).hour,
            open_stay=OpenStay(stay.id, stay.entry_at, stay.entry_lane_id) if stay is not None else None,
            free_spaces=lot.capacity - facts.lot_occupied,
            arrears_fen=arrears_fen,
            group_full=group_full,
            duplicate_policy=lot.duplicate_entry_policy,
        )
    )
    if reading.is_offline and not decision.opens and decision.reason is not Reason.ALREADY_INSIDE:
        # The edge or camera already let this car in while we were unreachable: record what happened.
        decision = replace(decision, action=Action.OPEN, new_session=True)
    if past:
        if later_exit is None:
            return decision, None  # an orphan entry: its exit, when replayed, makes the stay
        return decision, await _pair_with_exit(tx, site, reading, facts, decision.category, later_exit, now)
    if decision.reason is Reason.ALREADY_INSIDE and stay is not None:
        return decision, stay.id
    if not (decision.opens and decision.new_session):
        return decision, None
    if stay is not None:
        await _retire_duplicate(tx, site, stay, facts, now)
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
                "area_id": _outer_area(site),
                "plate": reading.plate,
                "plate_color": reading.color,
                "vehicle_class": context.class_of(facts, reading.color),
                "category": decision.category,
                "driver_key": reading.driver_key,
                "entry_at": reading.at,
                "entry_lane_id": site.lane.id,
                "pass_id": standing.pass_id,
                "group_id": standing.group_id,
                "group_overflow": overflow,
                "note": "group spaces full: paying as temporary" if overflow else "",
            },
        )
    ).scalar_one()
    occupy_at_commit(tx, lot.id, _outer_area(site), +1)
    return decision, int(new_id)


async def _candidates(tx: AsyncSession, lot_id: int, read: str) -> list[str]:
    """The plates inside that ``read`` (a plate, or text that is none) may be a misreading of."""
    open_plates = await tx.scalars(
        select(ParkingSession.plate).where(
            ParkingSession.lot_id == lot_id,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
        )
    )
    return [c.plate for c in fuzzy_candidates(read, open_plates)]


async def _exit(
    tx: AsyncSession,
    site: context.LaneSite,
    reading: LaneInput,
    info: LaneInfo,
    now: datetime,
    sites: SiteCache | None,
) -> tuple[Decision, int | None]:
    lot = site.lot
    read = Reading(reading.plate, reading.color, reading.confidence, reading.at, reading.driver_key)
    if reading.plate == NO_PLATE and reading.driver_key is None:
        return decide_exit(ExitFacts(read, info, Standing(VehicleCategory.TEMPORARY), None, None)), None
    facts = await context.load_plate(tx, lot.id, reading.plate)
    standing = context.standing_of(facts, reading.at, site.tz)
    candidates: list[str] = []
    bill: Bill | None = None
    left_id = None
    arrears_fen: int | None = None
    # A stay closed by a later exit (records replayed out of order) is not this car's last exit; an online repeat
    # read may still come stamped a little before it by a second camera's clock.
    until = reading.at if reading.is_offline else reading.at + REPEAT_WINDOW
    if reading.driver_key is None:
        stays = await context.plate_stays(tx, lot, reading.plate, reading.at - REPEAT_WINDOW, until)
        stay = stays.open
        arrears_fen = stays.arrears_fen(exclude=stay.id if stay is not None else None)
    else:
        stay = await context.open_stay(tx, lot.id, reading.plate, reading.driver_key)
    if _replayed_late(reading, stay):
        entry = await late_pairs.orphan_entry_before(tx, lot.id, reading.plate, reading.at)
        if entry is not None:
            return await _pair_with_entry(tx, site, reading, facts, entry)
        spanned = await late_pairs.exit_after_inside(tx, lot.id, reading.plate, reading.at)
        if spanned is not None:
            return await _split_stay(tx, site, reading, facts, spanned)
        stay = None  # the open stay began after this exit: it is not the one this car left from
    if stay is None:
        if reading.driver_key is None:
            left_id = stays.left_id
        else:
            left_id = await context.just_left(
                tx, lot.id, reading.plate, reading.at - REPEAT_WINDOW, until, driver_key=reading.driver_key
            )
    if stay is None and left_id is None and reading.driver_key is None:
        candidates = await _candidates(tx, lot.id, reading.plate)
    elif stay is not None:
        bill = await context.bill_stay(
            tx,
            lot,
            stay,
            facts,
            reading.at,
            lot_has_inner=site.lot_has_inner,
            book=await sites.tariffs(tx, lot.id) if sites is not None else None,
            arrears_fen=arrears_fen,
        )
    decision = decide_exit(
        ExitFacts(
            read,
            info,
            standing,
            OpenStay(stay.id, stay.entry_at, stay.entry_lane_id) if stay is not None else None,
            bill,
            candidates,
            lot.settings.no_entry_fee_fen,
            just_left=left_id is not None,
            frictionless=await ports.deducts_at_exit(tx, lot, stay, bill),
        )
    )
    if stay is None or bill is None:
        return decision, left_id
    decision, closing = _closing(decision, bill, stay.category, reading.is_offline)
    if closing is None:
        stay.fee_due_fen = bill.fee_fen
        return decision, stay.id
    closed = await close_stay(tx, stay, reading.at, site.lane.id, inner=site.lot_has_inner, **closing)
    if closed:
        occupy_at_commit(tx, lot.id, stay.area_id, -1)
        if not stay.group_overflow:
            await settle_group(tx, stay.group_id, reading.at)
    return decision, stay.id


async def _inner(
    tx: AsyncSession, site: context.LaneSite, reading: LaneInput, entering: bool, now: datetime
) -> tuple[Decision, int | None]:
    lot, area = site.lot, site.area
    assert area is not None
    read = Reading(reading.plate, reading.color, reading.confidence, reading.at, reading.driver_key)
    facts = await context.load_plate(tx, lot.id, reading.plate)
    decision = decide_inner(entering, read, context.standing_of(facts, reading.at, site.tz))
    if not decision.opens:
        return decision, None
    outer = await context.open_stay(tx, lot.id, reading.plate)
    if outer is None:
        return decision, None  # read at an inner gate with no outer entry: opens, recorded on the event only
    child = await tx.scalar(
        select(ParkingSession).where(
            ParkingSession.parent_id == outer.id,
            ParkingSession.area_id == area.id,
            ParkingSession.state == SessionState.IN_LOT,
        )
    )
    if entering:
        if child is not None:
            return decision, child.id
        child = ParkingSession(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            area_id=area.id,
            parent_id=outer.id,
            plate=reading.plate,
            plate_color=reading.color,
            vehicle_class=outer.vehicle_class,
            category=outer.category,
            entry_at=reading.at,
            entry_lane_id=site.lane.id,
        )
        tx.add(child)
        await tx.flush()
        occupy_at_commit(tx, None, area.id, +1)
        return decision, child.id
    if child is None:
        return decision, None
    if await close_stay(tx, child, reading.at, site.lane.id, release_method=ReleaseMethod.AUTOMATIC):
        occupy_at_commit(tx, None, area.id, -1)
    return decision, child.id


async def _handle(tx: AsyncSession, reading: LaneInput, now: datetime, sites: SiteCache | None) -> Outcome:
    site = await (sites.site(tx, reading.lane_id) if sites is not None else context.load_site(tx, reading.lane_id))
    if site is None:
        raise UnknownLane(reading.lane_id)
    entering = site.lane.direction is LaneDirection.ENTRY
    if site.is_inner:
        kind = EventKind.INNER_ENTRY if entering else EventKind.INNER_EXIT
    else:
        kind = EventKind.ENTRY if entering else EventKind.EXIT
    event_id = await _claim(tx, site, reading, kind, now)
    if event_id is None:
        return await _replay(tx, reading)
    info = _lane_info(site)
    if site.is_inner:
        decision, session_id = await _inner(tx, site, reading, entering, now)
    elif entering:
        decision, session_id = await _entry(tx, site, reading, info, now)
    else:
        decision, session_id = await _exit(tx, site, reading, info, now, sites)
    writes = last_writes.LastWrites(event_id, session_id, decision.opens, decision.reason.value, now)
    if not reading.is_offline:
        # Whatever was pending at this lane was for the car before this one.
        writes.void_lane_id, writes.void_why = site.lane.id, "another car read at the lane"
    if decision.opens and not reading.is_offline:
        if reading.source is ReadingSource.CAMERA:
            writes.command = gates.reply_open_row(site.lane, now, lane_event_id=event_id, session_id=session_id)
        else:
            # A code scanned at the lane has no camera reply to ride on: the camera's next poll takes it.
            writes.command = gates.queue_open_row(
                site.lane, now, reason=f"{reading.source.value} scan", session_id=session_id, lane_event_id=event_id
            )
        gates.relay_on_commit(tx, site.lane.id, lane_event_id=event_id)
    lot_ref = LotRef(site.lot.agent_id, site.lot.customer_id, site.lot.id)
    for input_note in reading.notes:
        noted: dict[str, object] = {"event_id": event_id, **input_note.details}
        if input_note.kind is AlarmKind.UNREADABLE_PLATE and kind is EventKind.EXIT:
            # Help the cloud seat: the cars inside the text may be a misreading of.
            noted["candidates"] = await _candidates(tx, site.lot.id, str(input_note.details.get("text", "")))
        await raise_alarm(
            tx,
            lot_ref,
            input_note.kind,
            input_note.message,
            now=now,
            lane_id=site.lane.id,
            device_id=reading.device_id,
            session_id=session_id,
            plate=reading.plate,
            details=noted,
        )
    for note in decision.alarms:
        details: dict[str, object] = {"event_id": event_id, "reason": decision.reason.value}
        if decision.candidates:
            details["candidates"] = list(decision.candidates)
        await raise_alarm(
            tx,
            lot_ref,
            note.kind,
            note.message,
            now=now,
            lane_id=site.lane.id,
            device_id=reading.device_id,
            session_id=session_id,
            plate=reading.plate[:16],
            details=details,
        )
    publish_on_commit(tx, lane_events_topic(site.lot.id), {"id": event_id, "lane_id": site.lane.id})
    emit(tx, ports.LaneEventRecorded(site.lot, site.lane.id, event_id, kind, decision, session_id, reading.image_ref))
    writes.occupancy = tx.info.pop(_OCCUPANCY, [])
    await last_writes.write(tx, writes)
    return Outcome(event_id, decision, session_id, lot_id=site.lot.id)
