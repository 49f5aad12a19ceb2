"""Refunds with a reason and two people: one requests, another approves; the money then goes back.

A request holds its amount at once (so two requests cannot together exceed the payment); a rejection or a
failed refund frees it again. WeChat refunds finish asynchronously (REFUND.SUCCESS / REFUND.ABNORMAL
notifications), Alipay's at once, cash ones are handed over by the operator.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import audit
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.domain_events import emit
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.scope import Scope
from parking.merchants.redemption import coupons_of_order, give_back
from parking.payments import state
from parking.payments.channels.base import RefundRequest, RefundState
from parking.payments.errors import (
    AmountMismatch,
    ChannelError,
    InvalidAmount,
    InvalidTransition,
    RefundExceedsRefundable,
)
from parking.payments.events import PaymentRefunded
from parking.payments.gateway import ONLINE, Channels
from parking.payments.ids import new_out_refund_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, Refund, RefundStatus
from parking.payments.settle import to_order

logger = logging.getLogger(__name__)

MAX_REASON = 200
_HELD = (RefundStatus.REQUESTED, RefundStatus.APPROVED, RefundStatus.PROCESSING)
_LINE_STATUS = {
    RefundStatus.REQUESTED: state.RefundStatus.PENDING,
    RefundStatus.APPROVED: state.RefundStatus.PENDING,
    RefundStatus.PROCESSING: state.RefundStatus.PENDING,
    RefundStatus.SUCCEEDED: state.RefundStatus.SUCCEEDED,
    RefundStatus.FAILED: state.RefundStatus.FAILED,
    RefundStatus.REJECTED: state.RefundStatus.FAILED,
}


async def _order_with_refunds(tx: AsyncSession, row: PaymentOrder) -> state.Order:
    refunds = await tx.scalars(select(Refund).where(Refund.order_id == row.id).order_by(Refund.id))
    lines = tuple(state.RefundLine(r.out_refund_no, r.amount_fen, _LINE_STATUS[r.status]) for r in refunds)
    base = to_order(row)
    return state.Order(base.out_trade_no, base.amount_fen, base.state, base.transaction_id, base.paid_at, lines)


async def request_refund(
    db: Database, actor: Actor, order_id: int, amount_fen: int, reason: str, now: datetime
) -> Refund:
    """Record a refund request; nothing goes to the channel until another operator approves it."""
    reason = _reason(reason)
    async with db.transaction(actor.scope) as tx:
        row = await tx.scalar(select(PaymentOrder).where(PaymentOrder.id == order_id).with_for_update())
        if row is None:
            raise NotFound("payment order", "orderId")
        order = await _order_with_refunds(tx, row)
        out_refund_no = new_out_refund_no(now)
        try:
            state.apply(order, state.RefundRequested(out_refund_no, amount_fen))
        except InvalidAmount as err:
            raise DomainError(ErrorCode.INVALID, str(err), "amountFen") from err
        except RefundExceedsRefundable as err:
            message = f"refund of {err.requested_fen} fen exceeds the {err.refundable_fen} fen still refundable"
            raise DomainError(ErrorCode.INVALID, message, "amountFen") from err
        except InvalidTransition as err:
            raise DomainError(ErrorCode.CONFLICT, "the order has not been paid", "orderId") from err
        refund = Refund(
            agent_id=row.agent_id,
            customer_id=row.customer_id,
            lot_id=row.lot_id,
            order_id=row.id,
            out_refund_no=out_refund_no,
            amount_fen=amount_fen,
            reason=reason,
            status=RefundStatus.REQUESTED,
            requested_by_id=actor.operator_id,
        )
        tx.add(refund)
        await tx.flush()
        audit.record(
            tx, actor, "refund.request", "refund", entity_id=refund.id, after=audit.snapshot(refund), tenant=row
        )
    return refund


def _reason(text: str) -> str:
    text = text.strip()
    if not text or len(text) > MAX_REASON:
        raise DomainError(ErrorCode.INVALID, f"a reason of 1 to {MAX_REASON} characters is required", "reason")
    return text


async def _decide(
    db: Database, actor: Actor, refund_id: int, to: RefundStatus, now: datetime, note: str = ""
) -> Refund:
    """Move a requested refund to approved or rejected: by someone other than the requester, exactly once."""
    async with db.transaction(actor.scope) as tx:
        refund = await tx.get(Refund, refund_id)
        if refund is None:
            raise NotFound("refund", "id")
        if refund.requested_by_id is not None and refund.requested_by_id == actor.operator_id:
            raise DomainError(ErrorCode.PERMISSION_DENIED, "a refund is approved by someone other than its requester")
        before = audit.snapshot(refund)
        result = await tx.execute(
            update(Refund)
            .where(Refund.id == refund.id, Refund.status == RefundStatus.REQUESTED)
            .values(status=to, approved_by_id=actor.operator_id, decision_note=note, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0):
            raise DomainError(ErrorCode.CONFLICT, f"the refund is {refund.status.value}, not requested", "id")
        await tx.refresh(refund)
        action = "refund.approve" if to is RefundStatus.APPROVED else "refund.reject"
        audit.record(tx, actor, action, "refund", entity_id=refund.id, before=before, after=audit.snapshot(refund))
    return refund


async def reject_refund(db: Database, actor: Actor, refund_id: int, now: datetime, reason: str) -> Refund:
    """Say no, with a reason the requester reads; the amount is refundable again."""
    return await _decide(db, actor, refund_id, RefundStatus.REJECTED, now, _reason(reason))


async def approve_refund(db: Database, channels: Channels, actor: Actor, refund_id: int, now: datetime) -> Refund:
    """Approve, then send the refund to the order's channel (outside any transaction) and record the answer."""
    refund = await _decide(db, actor, refund_id, RefundStatus.APPROVED, now)
    return await send_refund(db, channels, refund.out_refund_no, now)


async def send_refund(db: Database, channels: Channels, out_refund_no: str, now: datetime) -> Refund:
    """Send an approved refund to its order's channel (outside any transaction) and record the answer. Only
    the caller that moves it from approved to processing sends it, so it goes out once."""
    async with db.transaction(Scope.internal()) as tx:
        refund = await tx.scalar(select(Refund).where(Refund.out_refund_no == out_refund_no))
        if refund is None:
            raise NotFound("refund", "outRefundNo")
        row = await tx.get(PaymentOrder, refund.order_id)
        assert row is not None
        claimed = await tx.execute(
            update(Refund)
            .where(Refund.id == refund.id, Refund.status == RefundStatus.APPROVED)
            .values(status=RefundStatus.PROCESSING, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    if not getattr(claimed, "rowcount", 0):
        return await _load(db, refund.id)
    if row.channel not in ONLINE and row.channel is not PaymentChannel.WECHAT_PARKING:
        # Cash and booth money is handed back from the drawer of the operator who asked for it, at the booth
        # (docs/reports.md: a shift's recorded cash); nothing to wait for.
        await finish_refund(db, refund.out_refund_no, succeeded=True, now=now)
        return await _load(db, refund.id)
    # WeChat's frictionless deductions are refunded through WeChat Pay's ordinary refund API.
    client = channels.wechatpay if row.channel is PaymentChannel.WECHAT_PARKING else channels.for_order(row.channel)[0]
    if client is None:
        logger.warning("refund %s: %s is not configured", refund.out_refund_no, row.channel.value)
        await finish_refund(db, refund.out_refund_no, succeeded=False, now=now)
        return await _load(db, refund.id)
    request = RefundRequest(row.out_trade_no, refund.out_refund_no, refund.amount_fen, row.amount_fen, refund.reason)
    try:
        result = await client.refund(request)
    except ChannelError as err:
        logger.warning("refund %s refused by %s: %s", refund.out_refund_no, row.channel.value, err)
        await finish_refund(db, refund.out_refund_no, succeeded=False, now=now)
        return await _load(db, refund.id)
    if result.state is not RefundState.PENDING:
        await finish_refund(db, refund.out_refund_no, succeeded=result.state is RefundState.SUCCEEDED, now=now)
    return await _load(db, refund.id)


async def send_refunds(db: Database, channels: Channels, out_refund_nos: tuple[str, ...], now: datetime) -> None:
    """Send the automatic refunds a settled payment opened (after its commit). A refusal is recorded on the
    refund (failed, its amount refundable again) and never fails the caller: the payment itself is done."""
    for out_refund_no in out_refund_nos:
        try:
            await send_refund(db, channels, out_refund_no, now)
        except DomainError as err:
            logger.warning("automatic refund %s not sent: %s", out_refund_no, err.message)
            await finish_refund(db, out_refund_no, succeeded=False, now=now)


async def _load(db: Database, refund_id: int) -> Refund:
    async with db.session(Scope.internal()) as s:
        refund = await s.get(Refund, refund_id)
        assert refund is not None
        return refund


async def finish_refund(
    db: Database, out_refund_no: str, *, succeeded: bool, now: datetime, amount_fen: int | None = None
) -> bool:
    """The channel's final word on a refund (its answer or its notification); a repeat changes nothing.
    ``amount_fen`` (from a notification) must be the refund's amount, or nothing is changed."""
    async with db.transaction(Scope.internal()) as tx:
        refund = await tx.scalar(select(Refund).where(Refund.out_refund_no == out_refund_no).with_for_update())
        if refund is None:
            raise NotFound("refund", "outRefundNo")
        if amount_fen is not None and amount_fen != refund.amount_fen:
            raise AmountMismatch(out_refund_no, refund.amount_fen, amount_fen)
        result = await tx.execute(
            update(Refund)
            .where(Refund.id == refund.id, Refund.status.in_(_HELD))
            .values(
                status=RefundStatus.SUCCEEDED if succeeded else RefundStatus.FAILED,
                completed_at=now,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if not getattr(result, "rowcount", 0) or not succeeded:
            return False
        row = await tx.scalar(select(PaymentOrder).where(PaymentOrder.id == refund.order_id).with_for_update())
        assert row is not None
        refunded = row.refunded_fen + refund.amount_fen
        await tx.execute(
            update(PaymentOrder)
            .where(PaymentOrder.id == row.id)
            .values(
                refunded_fen=PaymentOrder.refunded_fen + refund.amount_fen,
                status=OrderStatus.REFUNDED if refunded >= row.amount_fen else OrderStatus.PARTLY_REFUNDED,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        # After the commit: an invoice of the order is reversed (parking/invoices/hooks.py).
        emit(tx, PaymentRefunded(row.id, refund.id))
        if refunded >= row.amount_fen and row.double_payment is None and row.session_id is not None:
            # The payment that settled the stay is undone: the coupons it redeemed go back to the plate.
            await give_back(tx, row.session_id, now, coupons_of_order(row.details))
    return True
