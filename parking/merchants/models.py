"""Merchants, their coupon templates, stock, ledger and coupons (商家优惠), and the signed parking codes.

The life of a coupon (docs/coupons.md):
- a lot defines a ``CouponTemplate`` (its kind and value, the price a merchant pays per coupon, limits);
- a merchant gets ``CouponStock`` of a template: bought online (a payment order) or credited by the lot;
- issuing takes one coupon off a stock (a conditional update, so the last one goes exactly once) and gives it
  to a plate (``ISSUED``); a one-time VIP code holds an ``ISSUED`` coupon with no plate until a driver claims it;
- a bill applies the plate's eligible coupons as itemised lines; settling the stay binds the coupons it used
  (``REDEEMED`` with ``session_id``); a refund or a waiver of that stay returns them (``ISSUED`` again);
- an unused coupon past ``valid_until`` is ``EXPIRED``; ``VOID`` ones were withdrawn by the lot or merchant.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, synonym

from parking.common.db import Base, BigId, IdMixin, Timestamps, enum_column
from parking.common.scope import LotScoped, MerchantScoped
from parking.tenancy.models import LotOwnedColumns


class CouponKind(StrEnum):
    """What a coupon takes off; ``value``'s unit depends on the kind."""

    MINUTES = "minutes"  # 减时券: ``value`` minutes of the stay are free (from its entry)
    AMOUNT = "amount"  # 减免金额: ``value`` fen off
    PERCENT = "percent"  # 折扣券: the driver pays ``value`` percent (80 = 八折)
    FULL = "full"  # 全免: the whole parking fee (never arrears)
    UNTIL = "until"  # 限时券: free until ``value`` minutes after local midnight of the day it is issued


class CouponStatus(StrEnum):
    ISSUED = "issued"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    VOID = "void"


class CouponSource(StrEnum):
    """How a coupon reached its plate."""

    MERCHANT = "merchant"  # a merchant issued it to a plate
    CLAIM = "claim"  # a driver scanned the merchant's code (商家码)
    VIP = "vip"  # a printed one-time code (贵宾码)
    CONFERENCE = "conference"  # a plate registered with a conference code (会议码)
    LOT = "lot"  # the lot issued it itself


class StockSource(StrEnum):
    PURCHASE = "purchase"  # bought online by the merchant (a payment order)
    CREDIT = "credit"  # credited by the lot (on account: charged to the merchant's balance, or free)


class LedgerKind(StrEnum):
    """A movement of a merchant's money with the lot (the balance is what the merchant has paid in advance)."""

    TOP_UP = "top_up"  # the lot recorded money received
    PURCHASE = "purchase"  # stock bought online: paid through the channel, balance unchanged
    CREDIT = "credit"  # stock credited on account: the price comes off the balance (down to -credit limit)
    REFUND = "refund"  # money back to the merchant
    ADJUSTMENT = "adjustment"


class CodeKind(StrEnum):
    """The signed QR codes of a lot (停车码)."""

    NO_PLATE = "no_plate"  # 无牌码: at an entry or exit lane, a car without a plate scans in or out
    EXIT = "exit"  # 出口码: at an exit lane, pay the stay that is waiting there
    IN_LOT = "in_lot"  # 场内码: anywhere in the lot, pay before leaving
    MERCHANT = "merchant"  # 商家码: a merchant's standing code; a driver scans it to claim a coupon
    CONFERENCE = "conference"  # 会议码: plates registered in its window park on its template, up to a count
    VIP = "vip"  # 贵宾码: a one-time code that holds one coupon


class Merchant(IdMixin, Timestamps, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """A shop, hotel or office of a lot. ``lot_id`` is its home lot; ``MerchantLot`` adds other lots of the
    same customer where its coupons count."""

    __tablename__ = "merchants"
    __table_args__ = (
        CheckConstraint("credit_limit_fen >= 0", name="credit_limit_non_negative"),
        CheckConstraint("balance_fen >= -credit_limit_fen", name="balance_within_credit"),
    )

    name: Mapped[str] = mapped_column(String(100))
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    balance_fen: Mapped[int] = mapped_column(Integer, default=0)
    credit_limit_fen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A merchant operator binds itself to the merchant with this code (given by the lot); rotated on demand.
    invite_code: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    is_active: Mapped[bool] = mapped_column(default=True)

    # A merchant operator's scope filters by ``merchant_id`` (parking.common.scope): here, the row's own id.
    merchant_id = synonym("id")


class MerchantLot(IdMixin, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """Another lot of the merchant's customer where its coupons count (``lot_id``: that lot)."""

    __tablename__ = "merchant_lots"
    __table_args__ = (UniqueConstraint("merchant_id", "lot_id"),)

    merchant_id: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id", ondelete="CASCADE"), index=True)


class CouponTemplate(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """What a lot offers its merchants: a kind of coupon, its price per coupon and its limits."""

    __tablename__ = "coupon_templates"
    __table_args__ = (
        UniqueConstraint("lot_id", "name"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("price_fen >= 0", name="price_non_negative"),
        CheckConstraint("valid_minutes > 0", name="valid_minutes_positive"),
        CheckConstraint("max_per_stay > 0", name="max_per_stay_positive"),
    )

    name: Mapped[str] = mapped_column(String(50))
    kind: Mapped[CouponKind] = mapped_column(enum_column(CouponKind))
    value: Mapped[int] = mapped_column(Integer)  # minutes, fen, percent paid or minute of day, by kind
    price_fen: Mapped[int] = mapped_column(Integer, default=0)  # what the merchant pays the lot per coupon
    valid_minutes: Mapped[int] = mapped_column(Integer, default=24 * 60)  # how long an issued coupon lasts
    # The template can be issued in this window only (None: open-ended).
    sell_from: Mapped[datetime | None] = mapped_column(default=None)
    sell_until: Mapped[datetime | None] = mapped_column(default=None)
    max_per_stay: Mapped[int] = mapped_column(Integer, default=1)  # coupons of this template on one stay
    max_per_plate_per_day: Mapped[int | None] = mapped_column(Integer, default=None)  # issues, local day
    stackable: Mapped[bool] = mapped_column(default=True)  # combines with coupons of other templates
    is_active: Mapped[bool] = mapped_column(default=True)


class CouponStock(IdMixin, Timestamps, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """A pack of coupons of one template that a merchant holds; ``remaining`` only goes down by issuing."""

    __tablename__ = "coupon_stocks"
    __table_args__ = (
        CheckConstraint("remaining >= 0", name="remaining_non_negative"),
        CheckConstraint("remaining <= quantity", name="remaining_within_quantity"),
    )

    merchant_id: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(BigId, ForeignKey("coupon_templates.id"), index=True)
    source: Mapped[StockSource] = mapped_column(enum_column(StockSource))
    quantity: Mapped[int] = mapped_column(Integer)
    remaining: Mapped[int] = mapped_column(Integer)
    price_fen: Mapped[int] = mapped_column(Integer, default=0)  # for the whole pack
    order_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("payment_orders.id"), default=None, unique=True)


class MerchantLedgerEntry(IdMixin, Timestamps, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """One movement of money between a merchant and its lot; the merchant's statement is these in order."""

    __tablename__ = "merchant_ledger"

    merchant_id: Mapped[int] = mapped_column(BigId, ForeignKey("merchants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(enum_column(LedgerKind))
    amount_fen: Mapped[int] = mapped_column(Integer)  # signed: + money to the merchant's balance
    balance_after_fen: Mapped[int] = mapped_column(Integer)
    stock_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("coupon_stocks.id"), default=None)
    order_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("payment_orders.id"), default=None)
    operator_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class Coupon(IdMixin, Timestamps, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """One coupon; its terms are copied from the template when issued, so editing a template changes no coupon
    already given out."""

    __tablename__ = "coupons"
    __table_args__ = (
        # The bill's lookup: a plate's coupons that are still usable.
        Index("ix_coupons_plate_status", "plate", "status"),
    )

    merchant_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("merchants.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("coupon_templates.id"), default=None, index=True)
    stock_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("coupon_stocks.id"), default=None, index=True)
    code_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_codes.id"), default=None, index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[CouponSource] = mapped_column(
        enum_column(CouponSource), default=CouponSource.MERCHANT, server_default=CouponSource.MERCHANT.value
    )
    kind: Mapped[CouponKind] = mapped_column(enum_column(CouponKind))
    value: Mapped[int] = mapped_column(Integer)  # fen, minutes, percent or minute of day, by kind
    max_per_stay: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    stackable: Mapped[bool] = mapped_column(default=True, server_default=true())
    status: Mapped[CouponStatus] = mapped_column(enum_column(CouponStatus), default=CouponStatus.ISSUED)
    plate: Mapped[str] = mapped_column(String(16), default="")  # "" until a VIP code's coupon is claimed
    valid_from: Mapped[datetime | None] = mapped_column(default=None)
    valid_until: Mapped[datetime]
    session_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("parking_sessions.id"), default=None, index=True)
    redeemed_at: Mapped[datetime | None] = mapped_column(default=None)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # what it took off, once used
    issued_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)


class ParkingCode(IdMixin, Timestamps, LotOwnedColumns, LotScoped, MerchantScoped, Base):
    """A printed or shown QR code. The QR carries a signed payload naming this row and its ``nonce``; the row
    says what the code does, until when, and how often it was used. Rotating the nonce kills every copy."""

    __tablename__ = "parking_codes"
    __table_args__ = (
        CheckConstraint("used_count >= 0", name="used_count_non_negative"),
        CheckConstraint("max_uses IS NULL OR used_count <= max_uses", name="used_within_max"),
    )

    kind: Mapped[CodeKind] = mapped_column(enum_column(CodeKind), index=True)
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    lane_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("lanes.id", ondelete="CASCADE"), default=None)
    merchant_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("merchants.id", ondelete="CASCADE"), default=None, index=True
    )
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("coupon_templates.id"), default=None)
    valid_from: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime]
    max_uses: Mapped[int | None] = mapped_column(Integer, default=None)  # None: unlimited
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    # A merchant code's limit per plate per local day (None: no limit).
    per_plate_per_day: Mapped[int | None] = mapped_column(Integer, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("operators.id"), default=None)
