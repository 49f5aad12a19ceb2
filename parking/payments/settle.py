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

from parking.common.database import Database
from parking.common.events import payments_topic, publish_on_commit
from parking.common.scope import Scope
from parking.lanes.release import release_waiting
from parking.payments.callbacks import apply_notification
from parking.payments.channels.base import ChannelNotification
from parking.payments.frictionless import outcome as frictionless
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.state import (
    CreditPayment,
    Event,
    FlagForOperator,
    Order,
    OrderState,
    RecordFailure,
    Transition,
    apply,
)
from parking.sessions.enums import ReleaseMethod
from parking.sessions.models import GateCommand, ParkingSession

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


async def _save(tx: AsyncSession, row: PaymentOrder, old: Order, new: Order, now: datetime) -> None:
    """Compare-and-set on the status read: of two concurrent copies of one notification only one writes."""
    result = await tx.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == row.id, PaymentOrder.status == OrderStatus(old.state.value))
        .values(
            status=OrderStatus(new.state.value),
            channel_trade_no=new.transaction_id or "",
            paid_at=new.paid_at,
            updated_at=now,
        )
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


async def credit_session(tx: AsyncSession, row: PaymentOrder, paid_at: datetime) -> ParkingSession | None:
    """Add the payment to its stay (an atomic increment) and clear the arrears it included."""
    if row.session_id is None:
        return None
    details = row.details or {}
    arrears = int(details.get("arrears_fen", 0))
    parking = row.amount_fen - arrears
    await tx.execute(
        update(ParkingSession)
        .where(ParkingSession.id == row.session_id)
        .values(paid_fen=ParkingSession.paid_fen + parking, last_paid_at=paid_at)
        .execution_options(synchronize_session=False)
    )
    stay = await tx.get(ParkingSession, row.session_id, populate_existing=True)
    if stay is not None and arrears > 0:
        await _settle_arrears(tx, stay, arrears)
    return stay


def release_method(row: PaymentOrder) -> ReleaseMethod:
    if row.channel is PaymentChannel.WECHAT_PARKING:
        return ReleaseMethod.FRICTIONLESS
    if row.operator_id is not None:
        return ReleaseMethod.SOFTWARE
    return ReleaseMethod.EXIT_SCAN if row.purpose is PaymentPurpose.PARKING_EXIT else ReleaseMethod.PREPAID


async def carry_out(tx: AsyncSession, row: PaymentOrder, transition: Transition, now: datetime) -> Applied:
    """Do what the transition asks: credit the stay and let a waiting car out, record failures and flags."""
    credited = False
    command: GateCommand | None = None
    details = dict(row.details or {})
    for effect in transition.effects:
        match effect:
            case CreditPayment():
                stay = await credit_session(tx, row, transition.new_state.paid_at or now)
                credited = True
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
            case FlagForOperator():
                # Real money that needs a human (a second payment, money after close): kept on the order.
                logger.warning("payment %s flagged: %s (%s)", effect.out_trade_no, effect.reason, effect.transaction_id)
                flags = list(details.get("flags", []))
                flags.append({"reason": effect.reason, "transaction_id": effect.transaction_id})
                details["flags"] = flags
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
    command = await frictionless.after_transition(tx, row, transition, now) or command
    if command is not None:
        await tx.flush()
    status = OrderStatus(transition.new_state.state.value)
    publish_on_commit(tx, payments_topic(row.out_trade_no), {"out_trade_no": row.out_trade_no, "status": status.value})
    return Applied(status, credited, command.id if command is not None else None)


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
