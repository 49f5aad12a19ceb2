"""Payment types: orders and refunds in fen, and the results of the payment mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from parking.accounts.models import Operator
from parking.payments.anonymous import masked_plate
from parking.payments.errors import PaymentErrorCode
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, RefundStatus
from parking.payments.state import DoublePayment
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.money import Fen
from schema.sessions.types import AppliedCouponType, applied_coupons


def _order_coupons(root: Any) -> list[AppliedCouponType]:
    return applied_coupons(root.details)


def _order_coupon_fen(root: Any) -> Fen:
    return Fen(sum(int(c.discount_fen) for c in applied_coupons(root.details)))


def _order_plate(root: Any, info: Info) -> str:
    # A driver paying without an account sees the plate masked: whole only to operators.
    return str(root.plate) if info.context.actor is not None else masked_plate(str(root.plate))


@strawberry.type(name="PaymentOrder", description="A payment order, in fen.")
class PaymentOrderType:
    id: strawberry.ID
    lot_id: strawberry.ID
    out_trade_no: str
    channel: PaymentChannel
    purpose: PaymentPurpose
    status: OrderStatus
    session_id: strawberry.ID | None
    pass_id: strawberry.ID | None
    plate: str = strawberry.field(
        resolver=_order_plate, description="The stay's plate; masked (京A·***45) for a caller without a login."
    )
    amount_fen: Fen
    coupons: list[AppliedCouponType] = strawberry.field(
        resolver=_order_coupons,
        description="The merchant coupons the amount is after, one line each (redeemed when the order is paid).",
    )
    coupon_fen: Fen = strawberry.field(
        resolver=_order_coupon_fen, description="What those coupons took off the parking fee."
    )
    channel_fee_fen: Fen = strawberry.field(
        description="What the channel keeps of the payment (手续费), written when the order is paid."
    )
    double_payment: DoublePayment | None = strawberry.field(
        description="Set when this order's money was not credited to its stay (the stay was already paid, or "
        "the order closed): a finance alarm was raised and the money goes back through a refund."
    )
    on_behalf: bool = strawberry.field(
        description="Paid on behalf (代缴): the payer said so, or is not known as the plate's driver."
    )
    payer_note: str = strawberry.field(description="The payer's note (代缴); empty when none.")
    refunded_fen: Fen
    channel_trade_no: str
    paid_at: datetime | None
    created_at: datetime


@strawberry.type(name="Refund", description="A refund of (part of) a payment order.")
class RefundType:
    id: strawberry.ID
    lot_id: strawberry.ID
    order_id: strawberry.ID
    out_refund_no: str
    amount_fen: Fen
    reason: str
    status: RefundStatus
    decision_note: str = strawberry.field(description="Why the refund was rejected; empty otherwise.")
    completed_at: datetime | None
    created_at: datetime
    requested_by_id: strawberry.Private[int | None]
    approved_by_id: strawberry.Private[int | None]

    @strawberry.field(
        description="The display name of the operator who asked for the refund; null when unknown "
        "or outside the caller's scope."
    )
    async def requested_by(self, info: Info) -> str | None:
        return await _operator_name(info, self.requested_by_id)

    @strawberry.field(
        description="The display name of the operator who approved or rejected the refund; null while "
        "undecided, or when outside the caller's scope."
    )
    async def approved_by(self, info: Info) -> str | None:
        return await _operator_name(info, self.approved_by_id)


async def _operator_name(info: Info, operator_id: int | None) -> str | None:
    """An operator's display name (else username) through the request's scoped loader: one query per batch."""
    if operator_id is None:
        return None
    row: Any = await info.context.loaders.by_id(Operator).load(operator_id)
    return None if row is None else str(row.display_name or row.username)


error_codes(PaymentErrorCode, "a payment")


@strawberry.type
class PaymentError(Error):
    code: PaymentErrorCode
    message: str
    field: str | None = None


@strawberry.type(description="An order to pay, and what the payer's device needs to pay it.")
class PaymentCreateSuccess:
    order: PaymentOrderType
    client_params: JSON = strawberry.field(
        description="JSAPI: the wx.requestPayment parameters; Alipay mini-program: {tradeNO}; QR channels: {}."
    )
    qr_code: str | None = strawberry.field(description="Native / Alipay QR: the code to show.")
    reused: bool = strawberry.field(description="True: the stay's open order for the same amount was returned.")


@strawberry.type(description="Cash recorded; the car, if it waited at an exit, was let out.")
class PaymentCashSuccess:
    order: PaymentOrderType
    gate_opened: bool


@strawberry.type(description="Paid from the owner's wallet; the car, if it waited at an exit, was let out.")
class PaymentWalletSuccess:
    order: PaymentOrderType
    balance_fen: Fen = strawberry.field(description="The wallet's balance after the debit.")
    reused: bool = strawberry.field(description="True: this request key had already paid; nothing was debited now.")
    gate_opened: bool


PaymentCreateResult = Annotated[PaymentCreateSuccess | PaymentError, strawberry.union("PaymentCreateResult")]
PaymentCashResult = Annotated[PaymentCashSuccess | PaymentError, strawberry.union("PaymentCashResult")]

PaymentWalletResult = Annotated[PaymentWalletSuccess | PaymentError, strawberry.union("PaymentWalletResult")]


def order_type(row: PaymentOrder) -> PaymentOrderType:
    # The ORM row has every field of the type; strawberry reads attributes.
    return cast(PaymentOrderType, row)
