"""The entry and exit decisions: pure functions of what is known when a plate is read at a lane.

Everything they need is loaded first (parking.lanes.context) so a decision is a function call, testable by
table, and the same code decides at the edge agent when the lot is cut off from the cloud.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from parking.alarms.models import AlarmKind
from parking.lanes import texts
from parking.lanes.texts import LaneText
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.billing import Bill
from parking.tenancy.enums import DuplicateEntryPolicy, LaneMode, VehicleCategory
from parking.vehicles.standing import FREE_CATEGORIES, PASS_CATEGORIES, Standing

# A second read of the same car within this window (another lane, a repeated push) changes nothing.
REPEAT_WINDOW = timedelta(minutes=2)


class Action(StrEnum):
    OPEN = "open"
    HOLD = "hold"


class Reason(StrEnum):
    WELCOME = "welcome"  # temporary car let in
    PASS_HOLDER = "pass_holder"
    FREE_LIST = "free_list"  # exempt, VIP, official
    VISITOR = "visitor"
    BLACKLIST = "blacklist"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    OUTSIDE_HOURS = "outside_hours"
    LOT_FULL = "lot_full"
    NO_PLATE = "no_plate"  # 无牌车: scan the lane's code
    AWAITING_OPERATOR = "awaiting_operator"  # attended or remote lane
    ALREADY_INSIDE = "already_inside"  # the same car read again by another lane or a second time
    ALREADY_LEFT = "already_left"  # the car that just left, read again (a second exit lane, a repeat push)
    NOTHING_DUE = "nothing_due"
    TARIFF_EXEMPT = "tariff_exempt"  # the lot's tariff exempts this vehicle (警车, 环卫车辆...): its reason shown
    PAID = "paid"
    IN_GRACE = "in_grace"
    FEE_DUE = "fee_due"
    FRICTIONLESS = "frictionless"  # held while WeChat deducts the fee (微信支付分停车)
    EXIT_WITHOUT_ENTRY = "exit_without_entry"
    UNCERTAIN_READING = "uncertain_reading"
    INNER_ENTRY = "inner_entry"
    INNER_EXIT = "inner_exit"


@dataclass(frozen=True, slots=True)
class AlarmNote:
    kind: AlarmKind
    message: str


@dataclass(frozen=True, slots=True)
class LaneInfo:
    lane_id: int
    mode: LaneMode = LaneMode.AUTO
    allowed_categories: frozenset[str] = frozenset()  # empty: every category
    is_inner: bool = False
    min_confidence: float = 0.7
    # Hours in which temporary cars may enter (None: always), in the lot's local time, [start, end).
    open_hours: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    plate: str  # normalised, or NO_PLATE
    color: PlateColor
    confidence: float
    at: datetime
    # A no-plate car (无牌车) identified by the driver who scanned the lane's code (e.g. a WeChat openid).
    driver_key: str | None = None

    @property
    def has_plate(self) -> bool:
        return self.plate != NO_PLATE

    @property
    def identified(self) -> bool:
        return self.has_plate or self.driver_key is not None


@dataclass(frozen=True, slots=True)
class OpenStay:
    session_id: int
    entry_at: datetime
    lane_id: int | None = None


@dataclass(frozen=True, slots=True)
class EntryFacts:
    reading: Reading
    lane: LaneInfo
    standing: Standing
    local_hour: int
    open_stay: OpenStay | None = None
    free_spaces: int = 1
    arrears_fen: int = 0
    group_full: bool = False  # every space of the plate's vehicle group is taken by the group's other cars
    duplicate_policy: DuplicateEntryPolicy = DuplicateEntryPolicy.CLOSE_AT_ZERO
    # A second read of the car that just entered (another lane, or the same car again) within this window
    # opens without a new session.
    repeat_window: timedelta = REPEAT_WINDOW


@dataclass(frozen=True, slots=True)
class ExitFacts:
    reading: Reading
    lane: LaneInfo
    standing: Standing
    open_stay: OpenStay | None
    bill: Bill | None
    candidates: Sequence[str] = ()
    fallback_fee_fen: int = 0
    # No open stay, but this car's stay closed moments ago (within the repeat window): a repeat read, not an
    # exit without entry.
    just_left: bool = False
    # The stay is registered with WeChat's frictionless parking and WeChat will deduct: hold while it does.
    frictionless: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    reason: Reason
    lines: tuple[str, ...]
    voice: str
    category: VehicleCategory = VehicleCategory.TEMPORARY
    fee_fen: int = 0
    alarms: tuple[AlarmNote, ...] = ()
    # Entry: open a new session (False for a repeat read). Exit: close the matched session.
    new_session: bool = False
    close_session: bool = False
    duplicate_policy: DuplicateEntryPolicy | None = None
    candidates: tuple[str, ...] = field(default=())

    @property
    def opens(self) -> bool:
        return self.action is Action.OPEN


def _hold_for_operator(decision: Decision, lane: LaneInfo) -> Decision:
    """Attended and remote lanes confirm every release: the decision stands, the barrier waits for a person."""
    if lane.mode is LaneMode.AUTO or not decision.opens:
        return decision
    return replace(
        decision,
        action=Action.HOLD,
        reason=Reason.AWAITING_OPERATOR,
        lines=(*decision.lines[:1], texts.WAIT_FOR_OPERATOR),
        voice=texts.WAIT_FOR_OPERATOR,
    )


def _in_hours(hour: int, hours: tuple[int, int] | None) -> bool:
    if hours is None:
        return True
    start, end = hours
    return start <= hour < end if start < end else hour >= start or hour < end


def decide_entry(facts: EntryFacts) -> Decision:
    reading, lane, standing = facts.reading, facts.lane, facts.standing
    shown = texts.plate_line(reading.plate)
    if not reading.identified:
        return Decision(Action.HOLD, Reason.NO_PLATE, (texts.NO_PLATE_LINE, texts.SCAN_TO_ENTER), texts.SCAN_TO_ENTER)
    alarms: list[AlarmNote] = []
    if reading.confidence < lane.min_confidence:
        alarms.append(
            AlarmNote(
                AlarmKind.LOW_CONFIDENCE,
                texts.text(LaneText.ALARM_LOW_CONFIDENCE_ENTRY, confidence=f"{reading.confidence:.2f}"),
            )
        )
    if standing.blacklisted:
        why = standing.blacklist_reason.rstrip(": ")
        message = (
            texts.text(LaneText.ALARM_BLACKLIST_ENTRY_BECAUSE, reason=why)
            if why
            else texts.text(LaneText.ALARM_BLACKLIST_ENTRY)
        )
        return Decision(
            Action.HOLD,
            Reason.BLACKLIST,
            (shown, texts.NO_ENTRY),
            texts.NO_ENTRY,
            category=VehicleCategory.BLACKLIST,
            alarms=(*alarms, AlarmNote(AlarmKind.BLACKLIST, message)),
        )
    stay = facts.open_stay
    if stay is not None and reading.at - stay.entry_at <= facts.repeat_window:
        # The car that just came in, read again (a second lane, a reversing car): open, nothing new.
        return Decision(
            Action.OPEN, Reason.ALREADY_INSIDE, (shown, texts.WELCOME), texts.WELCOME, category=standing.category
        )
    category = standing.category
    if category in PASS_CATEGORIES and facts.group_full:
        category = VehicleCategory.TEMPORARY  # 一位多车: the group's spaces are full, this car pays
    if lane.allowed_categories and category.value not in lane.allowed_categories:
        return Decision(
            Action.HOLD,
            Reason.CATEGORY_NOT_ALLOWED,
            (shown, texts.NOT_ALLOWED_HERE),
            texts.NOT_ALLOWED_HERE,
            category=category,
            alarms=tuple(alarms),
        )
    pays = category not in FREE_CATEGORIES and category not in PASS_CATEGORIES
    if pays and not _in_hours(facts.local_hour, lane.open_hours):
        return Decision(
            Action.HOLD, Reason.OUTSIDE_HOURS, (shown, texts.CLOSED_NOW), texts.CLOSED_NOW, category=category
        )
    if pays and facts.free_spaces <= 0:
        return Decision(
            Action.HOLD,
            Reason.LOT_FULL,
            (shown, texts.LOT_FULL),
            texts.LOT_FULL,
            category=category,
            alarms=(*alarms, AlarmNote(AlarmKind.LOT_FULL, texts.text(LaneText.ALARM_LOT_FULL))),
        )
    if facts.arrears_fen > 0:
        alarms.append(
            AlarmNote(AlarmKind.ARREARS, texts.text(LaneText.ALARM_ARREARS, amount=texts.yuan(facts.arrears_fen)))
        )
    if category in FREE_CATEGORIES:
        reason, detail = Reason.FREE_LIST, texts.WELCOME
    elif category in PASS_CATEGORIES:
        reason, detail = Reason.PASS_HOLDER, texts.pass_days(standing.pass_ends_at, reading.at)
    elif category is VehicleCategory.VISITOR:
        reason, detail = Reason.VISITOR, texts.VISITOR
    else:
        reason, detail = Reason.WELCOME, texts.TEMPORARY
    lines = (
        shown,
        texts.WELCOME,
        detail if facts.arrears_fen == 0 else texts.HAS_ARREARS,
        texts.free_spaces(facts.free_spaces - 1),  # this car takes one
    )
    decision = Decision(
        Action.OPEN,
        reason,
        lines,
        f"{texts.spoken_plate(reading.plate)} {texts.WELCOME}",
        category=category,
        alarms=tuple(alarms),
        new_session=True,
        duplicate_policy=facts.duplicate_policy if stay is not None else None,
    )
    return _hold_for_operator(decision, lane)


def decide_exit(facts: ExitFacts) -> Decision:
    reading, lane = facts.reading, facts.lane
    shown = texts.plate_line(reading.plate)
    if not reading.identified:
        return Decision(Action.HOLD, Reason.NO_PLATE, (texts.NO_PLATE_LINE, texts.SCAN_TO_PAY), texts.SCAN_TO_PAY)
    if facts.open_stay is None and facts.just_left:
        return Decision(Action.OPEN, Reason.ALREADY_LEFT, (shown, texts.GOODBYE), texts.GOODBYE)
    if facts.open_stay is None or facts.bill is None:
        return Decision(
            Action.HOLD,
            Reason.EXIT_WITHOUT_ENTRY,
            (shown, texts.NO_ENTRY_RECORD, texts.fee_line(facts.fallback_fee_fen)),
            texts.NO_ENTRY_RECORD,
            fee_fen=facts.fallback_fee_fen,
            alarms=(
                AlarmNote(
                    AlarmKind.EXIT_WITHOUT_ENTRY, texts.text(LaneText.ALARM_EXIT_WITHOUT_ENTRY, plate=reading.plate)
                ),
            ),
            candidates=tuple(facts.candidates),
        )
    bill = facts.bill
    category = facts.standing.category
    alarms: tuple[AlarmNote, ...] = ()
    if reading.confidence < lane.min_confidence:
        alarms = (
            AlarmNote(
                AlarmKind.LOW_CONFIDENCE,
                texts.text(LaneText.ALARM_LOW_CONFIDENCE_EXIT, confidence=f"{reading.confidence:.2f}"),
            ),
        )
    duration = texts.duration_line(reading.at - facts.open_stay.entry_at)
    if bill.due_fen > 0 and facts.frictionless and bill.arrears_fen == 0:
        # Arrears are never deducted without asking: a plate that owes pays them at the exit, by scanning.
        return Decision(
            Action.HOLD,
            Reason.FRICTIONLESS,
            (shown, duration, texts.amount_line(bill.due_fen), texts.FRICTIONLESS_PAYING),
            texts.FRICTIONLESS_PAYING,
            category=category,
            fee_fen=bill.due_fen,
            alarms=alarms,
        )
    if bill.due_fen > 0:
        return Decision(
            Action.HOLD,
            Reason.FEE_DUE,
            (shown, duration, texts.fee_line(bill.due_fen)),
            texts.spoken_fee(bill.due_fen),
            category=category,
            fee_fen=bill.due_fen,
            alarms=alarms,
        )
    exempt = bill.exempt_reason
    lines: tuple[str, ...] = (shown, duration, texts.GOODBYE)
    if bill.in_grace:
        reason = Reason.IN_GRACE
    elif bill.paid_fen > 0:
        reason = Reason.PAID
    elif exempt is not None:
        reason = Reason.TARIFF_EXEMPT
        lines = (shown, duration, exempt, texts.GOODBYE)
    else:
        reason = Reason.NOTHING_DUE
    decision = Decision(
        Action.OPEN,
        reason,
        lines,
        f"{texts.spoken_plate(reading.plate)} {texts.GOODBYE}",
        category=category,
        alarms=alarms,
        close_session=True,
    )
    return _hold_for_operator(decision, lane)


def decide_inner(entering: bool, reading: Reading, standing: Standing) -> Decision:
    """Inner-lot (内场) gates open for every known car: what the inner stay costs is paid at the outer exit."""
    shown = texts.plate_line(reading.plate)
    if standing.blacklisted:
        return Decision(
            Action.HOLD,
            Reason.BLACKLIST,
            (shown, texts.NO_ENTRY),
            texts.NO_ENTRY,
            alarms=(AlarmNote(AlarmKind.BLACKLIST, texts.text(LaneText.ALARM_BLACKLIST_INNER)),),
        )
    if entering:
        return Decision(
            Action.OPEN, Reason.INNER_ENTRY, (shown, texts.WELCOME), texts.WELCOME, standing.category, new_session=True
        )
    return Decision(
        Action.OPEN, Reason.INNER_EXIT, (shown, texts.GOODBYE), texts.GOODBYE, standing.category, close_session=True
    )
