"""Invoice tables: a driver's invoice (电子发票, 数电票) of one or more paid orders, the orders it covers, and each
lot's invoicing entity (销售方) and tax settings.

The provider's credentials are not here: like the payment channels' keys they live in the credentials file
(``PARKCLOUD_PAYMENT_CREDENTIALS``, section ``nuonuo``, keyed by the seller's tax number), never in the database
or an API answer (config/invoice_provider.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from parking.common.db import Base, BigId, IdMixin, Json, Timestamps, enum_column
from parking.common.scope import LotScoped
from parking.tenancy.models import LotOwnedColumns

# 税收分类编码 of 车辆停放服务 (不动产经营租赁服务), the parking fee's goods code by default.
PARKING_GOODS_CODE = "3040502020200000000"
# 9%: the VAT rate of real-estate leasing (车辆停放服务) for a general taxpayer; small-scale ones set 1% or 3%.
DEFAULT_TAX_RATE_PERMILLE = 90
DEFAULT_DEADLINE_DAYS = 365


class InvoiceStatus(StrEnum):
    REQUESTED = "requested"  # asked for, queued for the provider
    ISSUING = "issuing"  # sent (or being sent) to the provider; a retry asks it before sending again
    ISSUED = "issued"  # the provider issued it: number and PDF known
    FAILED = "failed"  # the provider refused it for good; an operator may retry
    VOID = "void"  # cancelled before it was issued (a refund came first)
    REVERSING = "reversing"  # a red-letter (红字) reversal is on its way
    REVERSED = "reversed"  # reversed by a red-letter invoice


class BuyerKind(StrEnum):
    PERSONAL = "personal"  # 个人: no tax number
    COMPANY = "company"  # 单位: its tax number (统一社会信用代码) is required


class Invoice(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    __tablename__ = "invoices"

    # The first order it covers (all of them: ``invoice_orders`` while it stands, ``order_ids`` always).
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("payment_orders.id"), index=True)
    order_ids: Mapped[list[Any]] = mapped_column(Json, default=list, server_default="[]")
    plate: Mapped[str] = mapped_column(String(16), default="")
    amount_fen: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))
    tax_number: Mapped[str] = mapped_column(String(32), default="")
    email: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus), default=InvoiceStatus.REQUESTED)
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    number: Mapped[str] = mapped_column(String(32), default="")
    # The driver (mini-program openid) who asked for it: only they download it or see it in their list.
    openid: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    buyer_kind: Mapped[BuyerKind] = mapped_column(
        enum_column(BuyerKind), default=BuyerKind.PERSONAL, server_default=BuyerKind.PERSONAL.value
    )
    # What the provider knows it by (流水号) and where its PDF is; both empty until it is issued.
    serial_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    pdf_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(String(200), default="", server_default="")
    red_serial_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    red_number: Mapped[str] = mapped_column(String(32), default="", server_default="")
    reversed_at: Mapped[datetime | None] = mapped_column(default=None)


class InvoiceOrder(Base):
    """Which orders a standing invoice covers: an order is on one at most (unique), so two requests racing for
    the same payment cannot both win. A voided or reversed invoice lets go of its orders."""

    __tablename__ = "invoice_orders"

    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("payment_orders.id"), primary_key=True)
    invoice_id: Mapped[int] = mapped_column(BigId, ForeignKey("invoices.id", ondelete="CASCADE"), index=True)


class LotInvoiceSettings(IdMixin, Timestamps, LotOwnedColumns, LotScoped, Base):
    """A lot's invoicing entity (销售方) and tax settings; a lot without a row (or disabled) issues no invoice."""

    __tablename__ = "lot_invoice_settings"
    __table_args__ = (
        UniqueConstraint("lot_id"),
        CheckConstraint("tax_rate_permille >= 0 AND tax_rate_permille <= 170", name="tax_rate_in_range"),
        CheckConstraint("deadline_days >= 1", name="deadline_positive"),
    )

    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    seller_name: Mapped[str] = mapped_column(String(100))
    seller_tax_number: Mapped[str] = mapped_column(String(20))
    seller_address: Mapped[str] = mapped_column(String(100), default="")
    seller_phone: Mapped[str] = mapped_column(String(20), default="")
    seller_bank_account: Mapped[str] = mapped_column(String(100), default="")
    clerk: Mapped[str] = mapped_column(String(20), default="")  # 开票人
    tax_rate_permille: Mapped[int] = mapped_column(Integer, default=DEFAULT_TAX_RATE_PERMILLE)
    goods_code: Mapped[str] = mapped_column(String(19), default=PARKING_GOODS_CODE)
    goods_name: Mapped[str] = mapped_column(String(90), default="")
    # How long after a payment its driver may still ask for an invoice.
    deadline_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_DEADLINE_DAYS)
