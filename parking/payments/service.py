"""Payment use-cases for parking: start an online payment for a stay, record cash, check an order's status.

The amount is what the stay owes when the order is made (``bill_stay(...).due_fen``). A stay has at most one
open order per request (channel, payer, amount; a partial unique index): asking again returns it. A request
that does not fit gets an order of its own beside it and never closes another payer's order in progress: of
two orders paid for one bill, the second is a double payment and goes back (``double.py``). Only an operator
taking the money another way (cash, the wallet) closes the open orders. Channel calls never run inside a
database transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import audit
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.scope import Scope
from parking.lanes import context
from parking.lanes.release import waiting_event
from parking.payments import texts
from parking.payments.amounts import check_fen
from parking.payments.arrears import arrears_due, new_arrears_order, open_arrears_order
from parking.payments.behalf import is_on_behalf, payer_note
from parking.payments.channels.base import PaymentRequest, status_event
from parking.payments.errors import ChannelError, InvalidAmount
from parking.payments.gateway import ONLINE, PAYER_SCENES, Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.refunds import send_refunds
from parking.payments.settle import Applied, apply_to_order, carry_out, to_order
from parking.payments.state import OrderClosed, PaymentSucceeded, apply
from parking.plates import InvalidPlate, normalize_plate
from parking.sessions.billing import Bill
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lane, Lot

logger = logging.getLogger(__name__)

OPEN_STATUSES = (OrderStatus.CREATED, OrderStatus.PAYING)
_ATTEMPTS = 3


@dataclass(frozen=True)
class StayRef:
    """Which stay to pay for: its id, or the lot (or a lane's QR code token) and the plate of a car inside."""

    session_id: int | None = None
    lot_id: int | None = None
    plate: str | None = None
    lane_code: str | None = None
    # Named by a stay token: the payer scanned the code of the lane the car stands at (see ``behalf.py``).
    at_the_car: bool = False


@dataclass(frozen=True)
class Payer:
    """Who pays: the channel's payer id (openid...), whether they say they pay for someone else (代缴), their
    note."""

    key: str = ""
    claims_on_behalf: bool = False
    note: str = ""


class NoCarInside(NotFound):
    """A plate named with its lot has no car inside: only its arrears, if any, can be paid."""

    def __init__(self, lot_id: int, plate: str) -> None:
        super().__init__("car inside with this plate", "plate")
        self.lot_id = lot_id
        self.plate = plate


@dataclass(frozen=True)
class PaymentStart:
    order: PaymentOrder
    client_params: dict[str, str]
    qr_code: str | None
    reused: bool


async def _find_stay(tx: AsyncSession, ref: StayRef) -> ParkingSession:
    if ref.session_id is not None:
        stay = await tx.get(ParkingSession, ref.session_id)
        if stay is None or stay.parent_id is not None:
            raise NotFound("parking session", "sessionId")
        return stay
    lot_id = ref.lot_id
    if ref.lane_code is not None:
        lot_id = await tx.scalar(select(Lane.lot_id).where(Lane.qr_token == ref.lane_code, Lane.is_active.is_(True)))
        if lot_id is None:
            raise NotFound("lane code", "laneCode")
    if lot_id is None or not ref.plate:
        raise DomainError(ErrorCode.INVALID, "give a session id, or a lot id and a plate", "sessionId")
    try:
        plate = normalize_plate(ref.plate)
    except InvalidPlate as err:
        raise DomainError(ErrorCode.INVALID, f"not a plate: {ref.plate!r}", "plate") from err
    found = await context.open_stay(tx, lot_id, plate)
    if found is None:
        raise NoCarInside(lot_id, plate)
    return found


async def _bill(tx: AsyncSession, stay: ParkingSession, now: datetime, field: str) -> tuple[Lot, Bill]:
    if stay.state is not SessionState.IN_LOT:
        raise DomainError(ErrorCode.INVALID, texts.STAY_ENDED, field)
    lot = await tx.get(Lot, stay.lot_id)
    assert lot is not None
    facts = await context.load_plate(tx, lot.id, stay.plate)
    owed = await context.bill_stay(tx, lot, stay, facts, now)
    if owed.due_fen <= 0:
        raise DomainError(ErrorCode.INVALID, "nothing to pay", field)
    return lot, owed


async def _open_order(
    tx: AsyncSession, session_id: int, channel: PaymentChannel, payer_key: str, amount_fen: int
) -> PaymentOrder | None:
    """The stay's open order for exactly this request, if there is one."""
    return await tx.scalar(
        select(PaymentOrder)
        .where(
            PaymentOrder.session_id == session_id,
            PaymentOrder.status.in_(OPEN_STATUSES),
            PaymentOrder.channel == channel,
            PaymentOrder.payer_key == payer_key,
            PaymentOrder.amount_fen == amount_fen,
        )
        .with_for_update()
    )


async def close_open_orders(tx: AsyncSession, session_id: int, now: datetime) -> list[tuple[PaymentChannel, str]]:
    """Close every open order of the stay (the money came another way); the ones to close at their channel.
    One that is paid anyway later is a double payment and goes back."""
    rows = list(
        await tx.scalars(
            select(PaymentOrder)
            .where(PaymentOrder.session_id == session_id, PaymentOrder.status.in_(OPEN_STATUSES))
            .order_by(PaymentOrder.id)
            .with_for_update()
        )
    )
    to_close: list[tuple[PaymentChannel, str]] = []
    for row in rows:
        if await _close(tx, row, now) and (row.details or {}).get("at_channel"):
            to_close.append((row.channel, row.out_trade_no))
    return to_close


async def _close(tx: AsyncSession, row: PaymentOrder, now: datetime) -> bool:
    """Close an open order unless a payment got there first (then it stays paid)."""
    result = await tx.execute(
        update(PaymentOrder)
        .where(PaymentOrder.id == row.id, PaymentOrder.status.in_(OPEN_STATUSES))
        .values(status=OrderStatus.CLOSED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def _new_order(
    lot: Lot,
    stay: ParkingSession,
    owed: Bill,
    channel: PaymentChannel,
    purpose: PaymentPurpose,
    now: datetime,
    *,
    payer_key: str = "",
    operator_id: int | None = None,
) -> PaymentOrder:
    return PaymentOrder(
        agent_id=stay.agent_id,
        customer_id=stay.customer_id,
        lot_id=stay.lot_id,
        out_trade_no=new_out_trade_no(now),
        channel=channel,
        purpose=purpose,
        status=OrderStatus.CREATED,
        session_id=stay.id,
        plate=stay.plate,
        payer_key=payer_key,
        amount_fen=owed.due_fen,
        operator_id=operator_id,
        # What the amount was made of: the arrears part clears earlier stays when it is paid; a payment is
        # credited only while the stay has still paid ``paid_before_fen`` (else it is a double payment). The
        # fee rate is the one the channel fee is reckoned with when the order settles.
        details={
            "fee_fen": owed.fee_fen,
            "paid_before_fen": owed.paid_fen,
            "arrears_fen": owed.arrears_fen,
            "fee_rate_ppm": lot.settings.fee_rate_ppm,
            # The coupons the amount assumes, as the payer sees them (redeemed when the payment is credited).
            "coupons": [
                {"id": u.coupon_id, "kind": u.kind.value, "label": u.label, "fen": u.discount_fen} for u in owed.coupons
            ],
        },
    )


async def _purpose(tx: AsyncSession, stay: ParkingSession, now: datetime) -> PaymentPurpose:
    waiting = await waiting_event(tx, stay, now)
    return PaymentPurpose.PARKING_EXIT if waiting is not None else PaymentPurpose.PARKING_PREPAY


async def reserve_order(
    db: Database,
    scope: Scope,
    ref: StayRef,
    channel: PaymentChannel,
    payer: Payer | str,
    now: datetime,
) -> tuple[PaymentOrder, list[tuple[PaymentChannel, str]], bool]:
    """The stay's open order for this very request (channel, payer, amount), else a new one beside the others;
    nothing is closed (the list of orders to close at their channel stays empty, kept for the callers). A
    plate named with its lot and no car inside pays its arrears, if it has any (``arrears.py``)."""
    payer = payer if isinstance(payer, Payer) else Payer(payer)
    field = "sessionId" if ref.session_id is not None else "plate"
    for attempt in range(_ATTEMPTS):
        try:
            async with db.transaction(scope) as tx:
                try:
                    stay = await _find_stay(tx, ref)
                except NoCarInside as missing:
                    return await _reserve_arrears(tx, missing, channel, payer, ref, now)
                lot, owed = await _bill(tx, stay, now, field)
                existing = await _open_order(tx, stay.id, channel, payer.key, owed.due_fen)
                if existing is not None:
                    return existing, [], True
                purpose = await _purpose(tx, stay, now)
                row = _new_order(lot, stay, owed, channel, purpose, now, payer_key=payer.key)
                await _mark_payer(tx, row, payer, ref)
                tx.add(row)
                await tx.flush()
                return row, [], False
        except IntegrityError:
            # Another request made the stay's open order at the same moment: take that one.
            if attempt == _ATTEMPTS - 1:
                raise
            logger.info("concurrent payment request for %s, reading again", ref)
    raise AssertionError("unreachable")


async def _mark_payer(tx: AsyncSession, row: PaymentOrder, payer: Payer, ref: StayRef) -> None:
    row.on_behalf = await is_on_behalf(
        tx, row.customer_id, row.plate, payer.key, claimed=payer.claims_on_behalf, at_the_car=ref.at_the_car
    )
    row.payer_note = payer_note(payer.note)


async def _reserve_arrears(
    tx: AsyncSession, missing: NoCarInside, channel: PaymentChannel, payer: Payer, ref: StayRef, now: datetime
) -> tuple[PaymentOrder, list[tuple[PaymentChannel, str]], bool]:
    lot = await tx.get(Lot, missing.lot_id)
    if lot is None:
        raise NotFound("lot", "lotId")
    owed = await arrears_due(tx, lot, missing.plate)
    if owed <= 0:
        raise NotFound("car inside or arrears with this plate", "plate")
    existing = await open_arrears_order(tx, lot, missing.plate, channel, payer.key, owed)
    if existing is not None:
        return existing, [], True
    row = new_arrears_order(lot, missing.plate, owed, channel, payer.key, now)
    await _mark_payer(tx, row, payer, ref)
    tx.add(row)
    await tx.flush()
    return row, [], False


async def close_at_channels(channels: Channels, orders: list[tuple[PaymentChannel, str]]) -> None:
    for channel, out_trade_no in orders:
        try:
            client, _ = channels.for_order(channel)
            await client.close(out_trade_no)
        except (ChannelError, DomainError) as err:
            # A stale order left open at the channel is harmless: paying it credits and flags it.
            logger.warning("could not close %s at the channel: %s", out_trade_no, err)


def check_online(channels: Channels, channel: PaymentChannel, payer_id: str | None, field: str = "payerId") -> None:
    """An online channel, with the payer's id where its scene needs one (JSAPI, Alipay mini-program)."""
    if channel not in ONLINE:
        raise DomainError(ErrorCode.INVALID, f"{channel.value} is not an online channel", "channel")
    _, scene = channels.for_order(channel)
    if scene in PAYER_SCENES and not payer_id:
        raise DomainError(ErrorCode.INVALID, "this channel needs the payer's id", field)


async def start_payment(
    db: Database,
    channels: Channels,
    scope: Scope,
    ref: StayRef,
    channel: PaymentChannel,
    now: datetime,
    *,
    payer_id: str | None = None,
    on_behalf: bool = False,
    note: str = "",
) -> PaymentStart:
    """Create (or reuse) the stay's order (or the plate's arrears order) and the channel's payment: JSAPI
    params or a QR code. ``on_behalf``: the payer says they pay for someone else's car (代缴)."""
    check_online(channels, channel, payer_id)
    payer = Payer(payer_id or "", on_behalf, note)
    row, to_close, reused = await reserve_order(db, scope, ref, channel, payer, now)
    await close_at_channels(channels, to_close)
    return await hand_to_channel(db, channels, row, reused, texts.parking_fee_for(row.plate), now, payer_id=payer_id)


async def hand_to_channel(
    db: Database,
    channels: Channels,
    row: PaymentOrder,
    reused: bool,
    description: str,
    now: datetime,
    *,
    payer_id: str | None = None,
    expires_at: datetime | None = None,
) -> PaymentStart:
    """Create the order's payment at its channel (a reused one already there is answered from what we kept),
    keep the client params and mark it PAYING; a channel that fails closes the order."""
    client, scene = channels.for_order(row.channel)
    stored: dict[str, Any] = dict(row.details or {})
    if reused and stored.get("at_channel"):
        return PaymentStart(row, dict(stored.get("client_params", {})), stored.get("qr_code"), True)
    request = PaymentRequest(
        row.out_trade_no, row.amount_fen, description, scene, payer_id=payer_id, expires_at=expires_at
    )
    try:
        # Creating twice with the same out_trade_no is idempotent at both channels (the same prepay/QR).
        created = await client.create_payment(request)
    except (ChannelError, InvalidAmount, ValueError) as err:
        logger.warning("payment %s not created at %s: %s", row.out_trade_no, row.channel.value, err)
        async with db.transaction(Scope.internal()) as tx:
            await _close(tx, row, now)
        raise DomainError(ErrorCode.CONFLICT, "the payment channel is unavailable, try again", "channel") from err
    params = dict(created.client_params)
    async with db.transaction(Scope.internal()) as tx:
        fresh = await tx.get(PaymentOrder, row.id, with_for_update=True)
        assert fresh is not None
        fresh.details = {
            **(fresh.details or {}),
            "at_channel": True,
            "client_params": params,
            "qr_code": created.qr_code,
        }
        if fresh.status is OrderStatus.CREATED:
            # Handed to the payer. A notification that came first has already made it paid: leave that.
            fresh.status = OrderStatus.PAYING
        fresh.updated_at = now
        await tx.flush()
    return PaymentStart(fresh, params, created.qr_code, reused)


async def refresh_status(db: Database, channels: Channels, out_trade_no: str, now: datetime) -> PaymentOrder:
    """The payer's status check: an order still open asks its channel, so a lost notification is caught up
    (through the same path as a notification: credited at most once)."""
    async with db.session(Scope.internal()) as s:
        row = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no))
    if row is None:
        raise NotFound("payment order", "outTradeNo")
    if row.status in OPEN_STATUSES and row.channel in ONLINE and (row.details or {}).get("at_channel"):
        client, _ = channels.for_order(row.channel)
        try:
            event = status_event(await client.query(out_trade_no))
        except ChannelError as err:
            logger.warning("status query of %s failed: %s", out_trade_no, err)
            event = None
        if event is not None and not isinstance(event, OrderClosed):
            applied = await apply_to_order(db, out_trade_no, now, event=event)
            await send_refunds(db, channels, applied.refunds_to_send, now)
    async with db.session(Scope.internal()) as s:
        fresh = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no))
    assert fresh is not None
    return fresh


@dataclass(frozen=True)
class CashResult:
    order: PaymentOrder
    applied: Applied


async def stay_owed(db: Database, scope: Scope, session_id: int, now: datetime) -> int | None:
    """What the open stay owes now, as the booth takes it (``record_cash`` wants exactly this); 0 for a stay that
    ended or owes nothing, None for one not in the caller's scope."""
    async with db.session(scope) as tx:
        try:
            stay = await _find_stay(tx, StayRef(session_id=session_id))
        except NotFound:
            return None
        if stay.state is not SessionState.IN_LOT:
            return 0
        lot = await tx.get(Lot, stay.lot_id)
        assert lot is not None
        facts = await context.load_plate(tx, lot.id, stay.plate)
        owed = await context.bill_stay(tx, lot, stay, facts, now)
        return max(owed.due_fen, 0)


async def record_cash(
    db: Database,
    channels: Channels,
    scope: Scope,
    session_id: int,
    amount_fen: int,
    operator_id: int | None,
    now: datetime,
    *,
    actor: Actor | None = None,
) -> CashResult:
    """Cash taken by an operator for exactly what the stay owes: paid at once, credited, the car let out."""
    try:
        check_fen(amount_fen)
    except InvalidAmount as err:
        raise DomainError(ErrorCode.INVALID, str(err), "amountFen") from err
    async with db.transaction(scope) as tx:
        stay = await _find_stay(tx, StayRef(session_id=session_id))
        lot, owed = await _bill(tx, stay, now, "sessionId")
        if amount_fen != owed.due_fen:
            raise DomainError(ErrorCode.INVALID, f"the stay owes {owed.due_fen} fen, not {amount_fen}", "amountFen")
        to_close = await close_open_orders(tx, stay.id, now)
        purpose = await _purpose(tx, stay, now)
        row = _new_order(lot, stay, owed, PaymentChannel.CASH, purpose, now, operator_id=operator_id)
        tx.add(row)
        await tx.flush()
        transition = apply(to_order(row), PaymentSucceeded(f"cash-{row.id}", amount_fen, now))
        row.status = OrderStatus.PAID
        row.channel_trade_no = f"cash-{row.id}"
        row.paid_at = now
        await tx.flush()
        applied = await carry_out(tx, row, transition, now)
        if actor is not None:
            audit.record(
                tx, actor, "payment.cash", "payment_order", entity_id=row.id, after=audit.snapshot(row), tenant=row
            )
    await close_at_channels(channels, to_close)
    return CashResult(row, applied)


async def order_by_number(session: AsyncSession, out_trade_no: str) -> PaymentOrder | None:
    """The order of a payment number (out_trade_no), if the session's scope can see it."""
    return await session.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == out_trade_no))
