"""E-invoice details (电子发票明细): one row per invoice issued or reversed (红冲) on one of the range's local days
(each lot's own), with the range's totals issued, reversed and net.

An invoice requested but not issued (queued, failed, voided) is no tax event and not in the report; one issued
in the range and reversed after it is a row with its status now. The tax is the invoice's amount at its lot's
VAT rate (``tax_of``, tax-included, rounded half up), the rate the issuing uses; a lot with no invoicing settings
counts at the default rate. The buyer's tax number is shown masked: the sheets leave the system.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.localtime import LocalHour
from parking.invoices.models import DEFAULT_TAX_RATE_PERMILLE, Invoice, InvoiceStatus, LotInvoiceSettings
from parking.invoices.provider import tax_of
from parking.overview.service import DateRange
from parking.reports.keyset import chunks
from parking.reports.names import NO_LOT, lot_names
from parking.tenancy.models import Lot

# The statuses of an invoice that was issued (a reversal keeps its issue).
_ISSUED = (InvoiceStatus.ISSUED, InvoiceStatus.REVERSING, InvoiceStatus.REVERSED)


@dataclass(frozen=True)
class InvoiceDetail:
    invoice_id: int
    lot_id: int
    lot_name: str
    timezone: str  # the lot's: the instants below are shown in it
    buyer_kind: str
    buyer_name: str
    tax_number: str  # masked
    amount_fen: int
    tax_fen: int
    status: str
    issued_at: datetime
    reversed_at: datetime | None
    number: str
    payments: int  # the paid orders it covers


@dataclass(frozen=True)
class InvoiceTotal:
    issued: int
    issued_fen: int
    issued_tax_fen: int
    reversed: int
    reversed_fen: int
    reversed_tax_fen: int

    @property
    def net_fen(self) -> int:
        return self.issued_fen - self.reversed_fen

    @property
    def net_tax_fen(self) -> int:
        return self.issued_tax_fen - self.reversed_tax_fen


def masked_tax_number(number: str) -> str:
    """``9144********1234``: enough to tell buyers apart, not to copy one's number; short ones all hidden."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def issued_column() -> Any:
    """The sort of the invoice details: the issue (never null in their rows)."""
    assert Invoice.issued_at is not None
    return Invoice.issued_at


def _on_days(period: DateRange, at: Any) -> Any:
    return and_(*period.where(at, LocalHour(at, Lot.timezone)))


def invoice_details_select(period: DateRange, lot_ids: Sequence[int] | None = None) -> Select[Any]:
    """The invoices issued or reversed in the range (sort: ``issued_at``, then id), for a page or a download."""
    stmt = (
        select(Invoice)
        .join(Lot, Lot.id == Invoice.lot_id)
        .where(
            Invoice.status.in_(_ISSUED),
            or_(_on_days(period, Invoice.issued_at), _on_days(period, Invoice.reversed_at)),
        )
    )
    if lot_ids is not None:
        stmt = stmt.where(Invoice.lot_id.in_(list(lot_ids)))
    return stmt


async def _rates(session: AsyncSession, lot_ids: Sequence[int]) -> dict[int, int]:
    wanted = sorted(set(lot_ids))
    if not wanted:
        return {}
    found = await session.execute(
        select(LotInvoiceSettings.lot_id, LotInvoiceSettings.tax_rate_permille).where(
            LotInvoiceSettings.lot_id.in_(wanted)
        )
    )
    return {int(lot): int(rate) for lot, rate in found}


async def invoice_details_of(session: AsyncSession, invoices: Sequence[Invoice]) -> list[InvoiceDetail]:
    """The rows of ``invoices`` (a page), in their order: two queries whatever the page's size."""
    if not invoices:
        return []
    lots = await lot_names(session, (i.lot_id for i in invoices))
    rates = await _rates(session, [i.lot_id for i in invoices])
    rows: list[InvoiceDetail] = []
    for invoice in invoices:
        assert invoice.issued_at is not None, "the select takes issued invoices only"
        lot = lots.get(invoice.lot_id, NO_LOT)
        rows.append(
            InvoiceDetail(
                invoice_id=invoice.id,
                lot_id=invoice.lot_id,
                lot_name=lot.name,
                timezone=lot.timezone,
                buyer_kind=invoice.buyer_kind.value,
                buyer_name=invoice.title,
                tax_number=masked_tax_number(invoice.tax_number),
                amount_fen=invoice.amount_fen,
                tax_fen=tax_of(invoice.amount_fen, rates.get(invoice.lot_id, DEFAULT_TAX_RATE_PERMILLE)),
                status=invoice.status.value,
                issued_at=invoice.issued_at,
                reversed_at=invoice.reversed_at,
                number=invoice.number,
                payments=len(invoice.order_ids or [invoice.order_id]),
            )
        )
    return rows


async def _sums(
    session: AsyncSession, at: Any, condition: Any, period: DateRange, lot_ids: Sequence[int] | None
) -> tuple[int, int, int]:
    """Count, amount and tax of the invoices whose ``at`` is on a range day: grouped by lot and amount, so the
    tax is summed per invoice (as the rows show it) in one statement."""
    stmt = (
        select(Invoice.lot_id, Invoice.amount_fen, func.count())
        .join(Lot, Lot.id == Invoice.lot_id)
        .where(condition, _on_days(period, at))
        .group_by(Invoice.lot_id, Invoice.amount_fen)
    )
    if lot_ids is not None:
        stmt = stmt.where(Invoice.lot_id.in_(list(lot_ids)))
    groups = [(int(lot), int(amount), int(n)) for lot, amount, n in await session.execute(stmt)]
    rates = await _rates(session, [lot for lot, _, _ in groups])
    count = sum(n for _, _, n in groups)
    amount = sum(a * n for _, a, n in groups)
    tax = sum(tax_of(a, rates.get(lot, DEFAULT_TAX_RATE_PERMILLE)) * n for lot, a, n in groups)
    return count, amount, tax


async def invoice_total(session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None) -> InvoiceTotal:
    """What the range issued (invoices issued on its days, reversed since or not) and reversed (on its days)."""
    issued = await _sums(session, Invoice.issued_at, Invoice.status.in_(_ISSUED), period, lot_ids)
    reversed_ = await _sums(session, Invoice.reversed_at, Invoice.status == InvoiceStatus.REVERSED, period, lot_ids)
    return InvoiceTotal(*issued, *reversed_)


async def all_invoice_details(
    session: AsyncSession, period: DateRange, lot_ids: Sequence[int] | None = None
) -> list[InvoiceDetail]:
    """Every row of the range, latest issue first (a download): by keyset chunks."""
    rows: list[InvoiceDetail] = []
    async for invoices in chunks(session, invoice_details_select(period, lot_ids), issued_column(), Invoice.id):
        rows.extend(await invoice_details_of(session, invoices))
    return rows
