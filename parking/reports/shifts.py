"""The cashiers' shift handover (交接班): open a shift, close it with the cash counted, and read each shift back.

A shift is an operator's window on one lot (optionally a lane/booth). What the system recorded as theirs is the
cash their drawer should hold: the cash they took on that lot inside the window (paid orders in the ``cash`` or
``booth`` channel carrying their operator id: ``payments.service.record_cash``, desk renewals) less the cash they
handed back there (succeeded refunds of such orders that they asked for, completed inside the window; see
docs/reports.md for why the requester's drawer pays); the releases are the stays they let out free or by hand
(``free``/``software``) on that lot in the window. An open shift is read up to now. One open shift per
operator (a partial unique index, so two opens at once cannot both win); closing someone else's shift needs
``operators.manage``.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common import audit
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.common.localtime import LocalHour
from parking.overview.service import DateRange
from parking.payments.models import PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.reports.keyset import chunks
from parking.reports.names import NO_LOT, lane_names, lot_names, operator_names
from parking.reports.rollup import PAID
from parking.reports.shift_models import CashierShift
from parking.reports.texts import ReportText, text
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lane, Lot

CASH_CHANNELS = (PaymentChannel.CASH, PaymentChannel.BOOTH)
NOTE_MAX = 200
# The column is a 32-bit integer: 21 474 836.47 yuan is far beyond any drawer.
COUNTED_MAX_FEN = 2**31 - 1


def _refuse(code: ErrorCode, key: ReportText, field: str | None = None) -> DomainError:
    return DomainError(code, text(key), field)


async def open_shift(
    session: AsyncSession, actor: Actor, lot_id: int, lane_id: int | None, now: datetime
) -> CashierShift:
    """Open the acting operator's shift on the lot (in their scope), at a lane of it when one is named."""
    if actor.operator_id is None:
        raise _refuse(ErrorCode.PERMISSION_DENIED, ReportText.SHIFT_NEEDS_OPERATOR)
    lot = await session.get(Lot, lot_id)
    if lot is None:
        raise _refuse(ErrorCode.NOT_FOUND, ReportText.SHIFT_LOT_NOT_FOUND, "lotId")
    if lane_id is not None:
        lane = await session.get(Lane, lane_id)
        if lane is None or lane.lot_id != lot.id:
            raise _refuse(ErrorCode.INVALID, ReportText.SHIFT_LANE_NOT_IN_LOT, "laneId")
    shift = CashierShift(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        operator_id=actor.operator_id,
        lane_id=lane_id,
        opened_at=now,
    )
    try:
        # A savepoint: the unique index refuses a second open shift, also one opened at this very moment.
        async with session.begin_nested():
            session.add(shift)
            await session.flush()
    except IntegrityError:
        raise _refuse(ErrorCode.CONFLICT, ReportText.SHIFT_ALREADY_OPEN) from None
    audit.record(
        session, actor, "shift.open", "cashier_shift", entity_id=shift.id, after=audit.snapshot(shift), tenant=shift
    )
    return shift


def _note(note: str) -> str:
    note = note.strip()
    # Control characters (a NUL above all, which PostgreSQL cannot store) have no place in a handover note.
    if len(note) > NOTE_MAX or any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in note):
        raise _refuse(ErrorCode.INVALID, ReportText.SHIFT_BAD_NOTE, "note")
    return note


async def close_shift(
    session: AsyncSession, actor: Actor, shift_id: int, counted_cash_fen: int, note: str, now: datetime
) -> CashierShift:
    """Close a shift with the cash counted in the drawer: one's own, or anyone's with ``operators.manage``."""
    if not 0 <= counted_cash_fen <= COUNTED_MAX_FEN:
        raise _refuse(ErrorCode.INVALID, ReportText.SHIFT_BAD_COUNT, "countedCashFen")
    note = _note(note)
    shift = await session.get(CashierShift, shift_id, with_for_update=True)
    if shift is None:
        raise _refuse(ErrorCode.NOT_FOUND, ReportText.SHIFT_NOT_FOUND, "id")
    if shift.operator_id != actor.operator_id and not actor.can(Perm.OPERATORS_MANAGE):
        raise _refuse(ErrorCode.PERMISSION_DENIED, ReportText.SHIFT_NOT_YOURS, "id")
    if shift.closed_at is not None:
        raise _refuse(ErrorCode.CONFLICT, ReportText.SHIFT_ALREADY_CLOSED, "id")
    before = audit.snapshot(shift)
    shift.closed_at = now
    shift.counted_cash_fen = counted_cash_fen
    shift.closed_by_id = actor.operator_id
    shift.note = note
    await session.flush()
    audit.record(
        session,
        actor,
        "shift.close",
        "cashier_shift",
        entity_id=shift.id,
        before=before,
        after=audit.snapshot(shift),
        tenant=shift,
    )
    return shift


@dataclass(frozen=True)
class ShiftRow:
    shift_id: int
    lot_id: int
    lot_name: str
    timezone: str  # the lot's: the instants below are shown in it
    lane_id: int | None
    lane_name: str
    operator_id: int
    operator_name: str
    opened_at: datetime
    closed_at: datetime | None
    cash_recorded_fen: int  # taken − refunded: what the drawer should hold
    cash_payments: int
    cash_refunded_fen: int
    cash_refunds: int
    counted_cash_fen: int | None
    free_releases: int
    software_releases: int
    note: str

    @property
    def difference_fen(self) -> int | None:
        """Counted − recorded: negative when the drawer is short; null while the shift is open."""
        return None if self.counted_cash_fen is None else self.counted_cash_fen - self.cash_recorded_fen


def shifts_select(
    period: DateRange, lot_ids: Sequence[int] | None = None, operator_id: int | None = None
) -> Select[Any]:
    """The shifts opened on the range's local days (sort: ``opened_at``, then id), for a page or a download."""
    at = CashierShift.opened_at
    stmt = (
        select(CashierShift)
        .join(Lot, Lot.id == CashierShift.lot_id)
        .where(*period.where(at, LocalHour(at, Lot.timezone)))
    )
    if lot_ids is not None:
        stmt = stmt.where(CashierShift.lot_id.in_(list(lot_ids)))
    if operator_id is not None:
        stmt = stmt.where(CashierShift.operator_id == operator_id)
    return stmt


def _within(shifts: Sequence[int], at: Any, lot: Any, operator: Any, now: datetime) -> list[Any]:
    """The rows of ``shifts``' operators on their lots inside their windows (an open one up to ``now``)."""
    return [
        CashierShift.id.in_(list(shifts)),
        operator == CashierShift.operator_id,
        lot == CashierShift.lot_id,
        at >= CashierShift.opened_at,
        at < func.coalesce(CashierShift.closed_at, now),
    ]


async def shift_rows_of(session: AsyncSession, shifts: Sequence[CashierShift], now: datetime) -> list[ShiftRow]:
    """The rows of ``shifts`` (a page), in their order: three grouped queries for all their cash taken, cash
    refunded and releases."""
    ids = [shift.id for shift in shifts]
    if not ids:
        return []
    cash: dict[int, tuple[int, int]] = {}
    money = await session.execute(
        select(CashierShift.id, func.sum(PaymentOrder.amount_fen), func.count(PaymentOrder.id))
        .join(
            PaymentOrder,
            and_(*_within(ids, PaymentOrder.paid_at, PaymentOrder.lot_id, PaymentOrder.operator_id, now)),
        )
        .where(PaymentOrder.channel.in_(CASH_CHANNELS), PaymentOrder.status.in_(PAID))
        .group_by(CashierShift.id)
    )
    for shift_id, amount, count in money:
        cash[int(shift_id)] = (int(amount or 0), int(count))
    refunded: dict[int, tuple[int, int]] = {}
    assert Refund.completed_at is not None
    handed_back = await session.execute(
        select(CashierShift.id, func.sum(Refund.amount_fen), func.count(Refund.id))
        .join(Refund, and_(*_within(ids, Refund.completed_at, Refund.lot_id, Refund.requested_by_id, now)))
        .join(PaymentOrder, PaymentOrder.id == Refund.order_id)
        .where(Refund.status == RefundStatus.SUCCEEDED, PaymentOrder.channel.in_(CASH_CHANNELS))
        .group_by(CashierShift.id)
    )
    for shift_id, amount, count in handed_back:
        refunded[int(shift_id)] = (int(amount or 0), int(count))
    releases: dict[int, dict[str, int]] = defaultdict(dict)
    assert ParkingSession.exit_at is not None
    let_out = await session.execute(
        select(CashierShift.id, ParkingSession.release_method, func.count(ParkingSession.id))
        .join(
            ParkingSession,
            and_(*_within(ids, ParkingSession.exit_at, ParkingSession.lot_id, ParkingSession.released_by_id, now)),
        )
        .where(ParkingSession.release_method.in_((ReleaseMethod.FREE, ReleaseMethod.SOFTWARE)))
        .group_by(CashierShift.id, ParkingSession.release_method)
    )
    for shift_id, method, count in let_out:
        releases[int(shift_id)][str(method.value if method else "")] = int(count)
    lots = await lot_names(session, (s.lot_id for s in shifts))
    lanes = await lane_names(session, (s.lane_id for s in shifts))
    people = await operator_names(session, (s.operator_id for s in shifts))
    return [
        ShiftRow(
            shift_id=s.id,
            lot_id=s.lot_id,
            lot_name=lots.get(s.lot_id, NO_LOT).name,
            timezone=lots.get(s.lot_id, NO_LOT).timezone,
            lane_id=s.lane_id,
            lane_name=lanes.get(s.lane_id or 0, ""),
            operator_id=s.operator_id,
            operator_name=people.get(s.operator_id, ""),
            opened_at=s.opened_at,
            closed_at=s.closed_at,
            cash_recorded_fen=cash.get(s.id, (0, 0))[0] - refunded.get(s.id, (0, 0))[0],
            cash_payments=cash.get(s.id, (0, 0))[1],
            cash_refunded_fen=refunded.get(s.id, (0, 0))[0],
            cash_refunds=refunded.get(s.id, (0, 0))[1],
            counted_cash_fen=s.counted_cash_fen,
            free_releases=releases[s.id].get(ReleaseMethod.FREE.value, 0),
            software_releases=releases[s.id].get(ReleaseMethod.SOFTWARE.value, 0),
            note=s.note,
        )
        for s in shifts
    ]


async def all_shift_rows(
    session: AsyncSession,
    period: DateRange,
    now: datetime,
    lot_ids: Sequence[int] | None = None,
    operator_id: int | None = None,
) -> list[ShiftRow]:
    """Every shift of the range, latest opened first (a download): by keyset chunks."""
    rows: list[ShiftRow] = []
    stmt = shifts_select(period, lot_ids, operator_id)
    async for shifts in chunks(session, stmt, CashierShift.opened_at, CashierShift.id):
        rows.extend(await shift_rows_of(session, shifts, now))
    return rows
