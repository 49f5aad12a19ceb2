"""Applying a payment event to a stored order: the state machine, an atomic save, the credit and the gate.

Every path that learns about money (a channel notification, the payer's status query, a cash payment) goes
through ``apply_to_order``, so the session is credited at most once however the news arrives.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from parking.common.database import Database
from parking.common.domain_events import emit
from parking.common.events import payments_topic, publish_on_commit
from parking.common.scope import Scope
from parking.devices.models import GateCommand
from parking.lanes.release import release_waiting
from parking.merchants.redemption import coupons_of_order, redeem
from parking.payments.arrears import clear_arrears
from parking.payments.callbacks import apply_notification
from parking.payments.channels.base import ChannelNotification
from parking.payments.coupon_packs import credit_pack
from parking.payments.double import record_double_payment
from parking.payments.events import StayPaymentCredited
from parking.payments.fees import channel_fee
from parking.payments.frictionless import outcome as frictionless
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.pass_orders import PASS_PURPOSES, grant_paid_pass
from parking.payments.state import (
    CreditPayment,
    DoublePayment,
    Event,
    Order,
    OrderState,
    RecordDoublePayment,
    RecordFailure,
    Transition,
    apply,
)
from parking.payments.statement import FEE_FREE_CHANNELS
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)

ATTEMPTS = 3


class UnknownOrder(LookupError):
    """A notification or query for an out_trade_no we never issued."""


class _Overtaken(Exception):
    """Another transaction changed the order between our read and our write: read again."""


def to_order(row: PaymentOrder) -> Order:
    return Order(
        out_trade_no=row.out_trade_no,
        amount_fen=row.amount_fen,
        state=OrderState(row.status.value),
        transaction_id=row.channel_trade_no or None,
        paid_at=row.paid_at,
    )


@dataclass(frozen=True)
class Applied:
    status: OrderStatus
    credited: bool = False
    gate_command_id: int | None = None
    # Automatic refunds of a double payment, to send to the channel after commit.
    refunds_to_send: tuple[str, ...] = ()


async def fee_rate_ppm(tx: AsyncSession, row: PaymentOrder) -> int:
    """The channel fee rate the order was made under (kept in its details), else its lot's rate now."""
    stored = (row.details or {}).get("fee_rate_ppm")
    if isinstance(stored, int) and not isinstance(stored, bool):
        return stored
    lot = await tx.get(Lot, row.lot_id)
    return lot.settings.fee_rate_ppm if lot is not None else 0


async def settled_fee(tx: AsyncSession, row: PaymentOrder) -> int:
    """What the channel keeps of this order's payment (手续费), rounded half up as on the bills."""
    if row.channel.value in FEE_FREE_CHANNELS:
        return 0
    return channel_fee(row.amount_fen, await fee_rate_ppm(tx, row))


async def _save(tx: AsyncSession, row: PaymentOrder, old: Order, new: Order, now: datetime) -> None:
    """Compare-and-set on the status read: of two concurrent copies of one notification only one writes.
    An order that settles gets its channel fee in the same statement."""
    values: dict[str, object] = {
        "status": OrderStatus(new.state.value),
        "channel_trade_no": new.transaction_id or "",
        "paid_at": new.paid_at,
        "updated_at": now,
    }
    if new.state is OrderState.PAID and old.state is not OrderState.PAID:
        values["channel_fee_fen"] = fee = await settled_fee(tx, row)
        # The row now shows what was written, without making it dirty (that would be a second UPDATE).
        set_committed_value(row, "channel_fee_fen", fee)
    result = await tx.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == row.id, PaymentOrder.status == OrderStatus(old.state.value))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise _Overtaken(row.out_trade_no)


async def _settle_arrears(tx: AsyncSession, stay: ParkingSession, amount_fen: int) -> None:
    """The part of a payment that was for earlier stays' arrears clears them, oldest first."""
    left = amount_fen
    rows = await tx.scalars(
        select(ParkingSession)
        .where(
            ParkingSession.customer_id == stay.customer_id,
            ParkingSession.plate == stay.plate,
            ParkingSession.arrears_fen > 0,
            ParkingSession.id != stay.id,
        )
        .order_by(ParkingSession.id)
        .with_for_update()
    )
    for old in rows:
        if left <= 0:
            break
        taken = min(left, old.arrears_fen)
        old.arrears_fen -= taken
        left -= taken


class AlreadySettled(Exception):
    """The stay was paid by another order after this one was made: this money is a double payment."""


async def credit_session(tx: AsyncSession, row: PaymentOrder, paid_at: datetime) -> ParkingSession | None:
    """Add the payment to its stay and clear the arrears it included. The increment is conditional on the
    stay having been paid nothing since the order was made (``paid_before_fen``): an order made for a bill
    that another payment has covered meanwhile (a parallel order, cash, the wallet) raises AlreadySettled."""
    if row.session_id is None:
        return None
    details = row.details or {}
    arrears = int(details.get("arrears_fen", 0))
    parking = row.amount_fen - arrears
    where = [ParkingSession.id == row.session_id]
    paid_before = details.get("paid_before_fen")
    if isinstance(paid_before, int):
        where.append(ParkingSession.paid_fen == paid_before)
    # One round trip: the increment returns the stay as it is now (RETURNING), refreshed in the session.
    stay: ParkingSession | None = await tx.scalar(
        update(ParkingSession)
        .where(*where)
        .values(paid_fen=ParkingSession.paid_fen + parking, last_paid_at=paid_at)
        .returning(ParkingSession),
        execution_options={"synchronize_session": False, "populate_existing": True},
    )
    if stay is None:
        raise AlreadySettled(row.out_trade_no)
    if arrears > 0:
        await _settle_arrears(tx, stay, arrears)
    # The amount was what was left after these coupons: the payment consumes them (compare-and-set).
    await redeem(tx, stay.id, coupons_of_order(details), paid_at)
    return stay


def release_method(row: PaymentOrder) -> ReleaseMethod:
    if row.channel is PaymentChannel.WECHAT_PARKING:
        return ReleaseMethod.FRICTIONLESS
    if row.operator_id is not None:
        return ReleaseMethod.SOFTWARE
    return ReleaseMethod.EXIT_SCAN if row.purpose is PaymentPurpose.PARKING_EXIT else ReleaseMethod.PREPAID


async def carry_out(tx: AsyncSession, row: PaymentOrder, transition: Transition, now: datetime) -> Applied:
    """Do what the transition asks: credit the stay and let a waiting car out (or give the pass an order
    bought), record failures and double payments (which open their refund)."""
    credited = False
    command: GateCommand | None = None
    refunds: list[str] = []
    details = dict(row.details or {})
    for effect in transition.effects:
        match effect:
            case CreditPayment() if row.purpose is PaymentPurpose.COUPON_PURCHASE:
                # A merchant's coupon pack: the payment becomes its stock (no stay, no gate).
                await credit_pack(tx, row)
                credited = True
            case CreditPayment() if row.purpose in PASS_PURPOSES:
                if await grant_paid_pass(tx, row, now) is not None:
                    credited = True
                    continue
                double = DoublePayment.SOLD_OUT
                sent = await record_double_payment(tx, row, double, effect.transaction_id, effect.amount_fen, now)
                refunds.extend([sent] if sent else [])
            case CreditPayment() if row.purpose is PaymentPurpose.ARREARS and row.session_id is None:
                if await clear_arrears(tx, row):
                    credited = True
                    continue
                double = DoublePayment.ALREADY_SETTLED
                sent = await record_double_payment(tx, row, double, effect.transaction_id, effect.amount_fen, now)
                refunds.extend([sent] if sent else [])
            case CreditPayment():
                try:
                    stay = await credit_session(tx, row, transition.new_state.paid_at or now)
                except AlreadySettled:
                    double = DoublePayment.ALREADY_SETTLED
                    sent = await record_double_payment(tx, row, double, effect.transaction_id, effect.amount_fen, now)
                    refunds.extend([sent] if sent else [])
                    continue
                credited = True
                if row.session_id is not None:
                    emit(tx, StayPaymentCredited(row.id, row.session_id))
                if stay is not None:
                    command = await release_waiting(
                        tx,
                        stay,
                        now,
                        release_method(row),
                        operator_id=row.operator_id,
                        reason=f"paid {row.out_trade_no}",
                    )
            case RecordFailure():
                details["failure"] = effect.reason[:200]
            case RecordDoublePayment():
                sent = await record_double_payment(
                    tx, row, effect.reason, effect.transaction_id, effect.amount_fen, now
                )
                refunds.extend([sent] if sent else [])
            case _:
                pass
    if details != (row.details or {}):
        await tx.execute(
            update(PaymentOrder)
            .where(PaymentOrder.id == row.id)
            .values(details=details)
            .execution_options(synchronize_session=False)
        )
    # Frictionless orders also open on ACCEPTED (垫资) and turn a failure after the car left into arrears.
    outcome = await frictionless.after_transition(tx, row, transition, now, credited=credited)
    command = outcome.command or command
    refunds.extend([outcome.refund] if outcome.refund else [])
    if command is not None:
        await tx.flush()
    status = OrderStatus(transition.new_state.state.value)
    publish_on_commit(tx, payments_topic(row.out_trade_no), {"out_trade_no": row.out_trade_no, "status": status.value})
    return Applied(status, credited, command.id if command is not None else None, tuple(refunds))


async def apply_to_order(
    db: Database,
    out_trade_no: str,
    now: datetime,
    *,
    event: Event | None = None,
    note: ChannelNotification | None = None,
) -> Applied:
    """Load the order under a row lock, apply the event (or the verified notification, amount checked), save
    with compare-and-set, and carry out the effects, all in one transaction; a lost race reads again."""
    for attempt in range(ATTEMPTS):
        try:
            async with db.transaction(Scope.internal()) as tx:
                row = await tx.scalar(
                    select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no).with_for_update()
                )
                if row is None:
                    raise UnknownOrder(out_trade_no)
                order = to_order(row)
                if note is not None:
                    transition = apply_notification(order, note)
                elif event is not None:
                    transition = apply(order, event)
                else:
                    raise ValueError("an event or a notification is needed")
                if not transition.changed:
                    return Applied(row.status)
                await _save(tx, row, order, transition.new_state, now)
                return await carry_out(tx, row, transition, now)
        except _Overtaken:
            logger.info("order %s changed concurrently (attempt %s), applying again", out_trade_no, attempt + 1)
    raise RuntimeError(f"order {out_trade_no} kept changing under us")
