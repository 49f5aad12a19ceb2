"""Payment order and refund tables (the flows live beside them)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.payments.state import DoublePayment
from parking.tenancy.models import LotOwnedColumns


class PaymentChannel(StrEnum):
    WECHAT_JSAPI = "wechat_jsapi"
    WECHAT_NATIVE = "wechat_native"
    WECHAT_PARKING = "wechat_parking"  # 微信支付分停车服务 (frictionless)
    ALIPAY_QR = "alipay_qr"
    ALIPAY_MINI = "alipay_mini"
    CASH = "cash"
    BOOTH = "booth"
    WALLET = "wallet"


class PaymentPurpose(StrEnum):
    PARKING_EXIT = "parking_exit"
    PARKING_PREPAY = "parking_prepay"
    NO_PLATE_EXIT = "no_plate_exit"
    PASS_PURCHASE = "pass_purchase"
    PASS_RENEWAL = "pass_renewal"
    COUPON_PURCHASE = "coupon_purchase"
    ARREARS = "arrears"


class OrderStatus(StrEnum):
    CREATED = "created"
    PAYING = "paying"
    PAID = "paid"
    FAILED = "failed"
    CLOSED = "closed"
    PARTLY_REFUNDED = "partly_refunded"
    REFUNDED = "refunded"


class RefundStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


OPEN_ORDER = "session_id IS NOT NULL AND status IN ('created', 'paying')"
# The columns that say whether an open order still fits a request (see ``service.reserve_order``).
OPEN_ORDER_REQUEST = ("session_id", "channel", "payer_key", "amount_fen")
DOUBLE_PAID = "double_payment IS NOT NULL"


class PaymentOrder(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "payment_orders"
    __table_args__ = (
        CheckConstraint("amount_fen >= 0", name="amount_non_negative"),
        CheckConstraint("refunded_fen >= 0 AND refunded_fen <= amount_fen", name="refund_within_amount"),
        # One open order per stay and request (channel, payer, amount): two copies of one request cannot both
        # create one, while another payer's request gets an order of its own and never closes this one.
        Index(
            "uq_open_order_request",
            *OPEN_ORDER_REQUEST,
            unique=True,
            postgresql_where=text(OPEN_ORDER),
            sqlite_where=text(OPEN_ORDER),
        ),
        # Partial: the few double payments are listed fast, and an ordinary order's updates add no entry.
        Index(
            "ix_payment_orders_double_payment",
            "double_payment",
            postgresql_where=text(DOUBLE_PAID),
            sqlite_where=text(DOUBLE_PAID),
        ),
    )

    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True)
    channel: Mapped[PaymentChannel] = mapped_column(enum_column(PaymentChannel))
    purpose: Mapped[PaymentPurpose] = mapped_column(enum_column(PaymentPurpose))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.CREATED, index=True)
    session_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_sessions.id"), index=True)
    pass_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("passes.id"), default=None)
    plate: Mapped[str] = mapped_column(String(16), default="", index=True)
    payer_key: Mapped[str] = mapped_column(String(64), default="")  # openid / alipay user id
    amount_fen: Mapped[int] = mapped_column(Integer)
    channel_fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0)
    channel_trade_no: Mapped[str] = mapped_column(String(64), default="", index=True)
    paid_at: Mapped[datetime | None] = mapped_column(index=True, default=None)
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    # Set when money reached this order that must not be credited (and goes back through a refund).
    double_payment: Mapped[DoublePayment | None] = mapped_column(enum_column(DoublePayment), default=None)
    # Pay on behalf (代缴): the payer is not known as the plate's driver (see ``parking/payments/behalf.py``),
    # and what the payer wrote for the driver or the lot.
    on_behalf: Mapped[bool] = mapped_column(default=False, server_default=false())
    payer_note: Mapped[str] = mapped_column(String(100), default="", server_default="")


class Refund(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("payment_orders.id"), index=True)
    out_refund_no: Mapped[str] = mapped_column(String(64), unique=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[RefundStatus] = mapped_column(enum_column(RefundStatus), default=RefundStatus.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    approved_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    # Why the approver said no (required to reject; empty for an approval).
    decision_note: Mapped[str] = mapped_column(String(200), default="", server_default="")
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
