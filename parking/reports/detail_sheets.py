"""The detail reports and the shift handover as sheets (see ``export``): instants in the lot's local time, money
in yuan, channels, purposes and release methods in zh-CN."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from parking.reports.export import Cell, Sheet, yuan
from parking.reports.fee_details import FeeDetail
from parking.reports.invoice_details import InvoiceDetail, InvoiceTotal
from parking.reports.renewal_details import RenewalDetail, RenewalTotal
from parking.reports.shifts import ShiftRow
from parking.reports.texts import (
    BUYER_KINDS,
    CHANNELS,
    INVOICE_STATUSES,
    PURPOSES,
    RELEASES,
    ReportText,
    label,
    text,
)


def local(at: datetime | None, timezone: str) -> str:
    return "" if at is None else at.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M:%S")


def _headers(*keys: ReportText) -> list[str]:
    return [text(k) for k in keys]


def fee_details_sheet(rows: Sequence[FeeDetail]) -> Sheet:
    keys = (
        ReportText.LOT,
        ReportText.PLATE,
        ReportText.ENTRY_AT,
        ReportText.EXIT_AT,
        ReportText.LANE,
        ReportText.FEE,
        ReportText.DISCOUNT,
        ReportText.COUPON,
        ReportText.COUPONS_USED,
        ReportText.WAIVED,
        ReportText.PAID,
        ReportText.CHANNEL,
        ReportText.RELEASE,
        ReportText.OPERATOR,
    )
    body: list[list[Cell]] = [
        [
            r.lot_name,
            r.plate,
            local(r.entry_at, r.timezone),
            local(r.exit_at, r.timezone),
            r.lane_name or text(ReportText.NO_LANE),
            yuan(r.fee_fen),
            yuan(r.discount_fen),
            yuan(r.coupon_fen),
            " ".join(r.coupons),
            yuan(r.waived_fen),
            yuan(r.paid_fen),
            "、".join(label(CHANNELS, c) for c in r.channels),
            label(RELEASES, r.release_method) if r.release_method else "",
            r.operator_name,
        ]
        for r in rows
    ]
    return Sheet(text(ReportText.SHEET_FEE_DETAILS), _headers(*keys), body)


def renewals_sheet(rows: Sequence[RenewalDetail], total: RenewalTotal) -> Sheet:
    """The rows, then a total line of the whole range."""
    keys = (
        ReportText.PAID_AT,
        ReportText.LOT,
        ReportText.PLATE,
        ReportText.PURPOSE,
        ReportText.PASS_PRODUCT,
        ReportText.PERIOD_FROM,
        ReportText.PERIOD_TO,
        ReportText.AMOUNT,
        ReportText.REFUNDED,
        ReportText.CHANNEL,
        ReportText.OPERATOR,
    )
    body: list[list[Cell]] = [
        [
            local(r.paid_at, r.timezone),
            r.lot_name,
            r.plate,
            label(PURPOSES, r.purpose),
            r.product_name,
            local(r.period_from, r.timezone),
            local(r.period_to, r.timezone),
            yuan(r.amount_fen),
            yuan(r.refunded_fen),
            label(CHANNELS, r.channel),
            r.operator_name,
        ]
        for r in rows
    ]
    body.append(
        [text(ReportText.TOTAL), None, None, None, None, None, None, yuan(total.amount_fen), yuan(total.refunded_fen)]
    )
    return Sheet(text(ReportText.SHEET_RENEWALS), _headers(*keys), body)


def shifts_sheet(rows: Sequence[ShiftRow]) -> Sheet:
    keys = (
        ReportText.LOT,
        ReportText.LANE,
        ReportText.OPERATOR,
        ReportText.OPENED_AT,
        ReportText.CLOSED_AT,
        ReportText.CASH_PAYMENTS,
        ReportText.CASH_RECORDED,
        ReportText.CASH_COUNTED,
        ReportText.CASH_DIFFERENCE,
        ReportText.FREE_RELEASES,
        ReportText.SOFTWARE_RELEASES,
    )
    body: list[list[Cell]] = [
        [
            r.lot_name,
            r.lane_name,
            r.operator_name,
            local(r.opened_at, r.timezone),
            local(r.closed_at, r.timezone) if r.closed_at else text(ReportText.SHIFT_OPEN),
            r.cash_payments,
            yuan(r.cash_recorded_fen),
            None if r.counted_cash_fen is None else yuan(r.counted_cash_fen),
            None if r.difference_fen is None else yuan(r.difference_fen),
            r.free_releases,
            r.software_releases,
        ]
        for r in rows
    ]
    return Sheet(text(ReportText.SHEET_SHIFTS), _headers(*keys), body)


def invoices_sheet(rows: Sequence[InvoiceDetail], total: InvoiceTotal) -> Sheet:
    """The rows, then the range's totals issued, reversed and net (amount and tax)."""
    keys = (
        ReportText.ISSUED_AT,
        ReportText.LOT,
        ReportText.INVOICE_NUMBER,
        ReportText.BUYER_KIND,
        ReportText.BUYER_NAME,
        ReportText.BUYER_TAX_NUMBER,
        ReportText.AMOUNT,
        ReportText.TAX,
        ReportText.INVOICE_STATUS,
        ReportText.REVERSED_AT,
        ReportText.INVOICE_PAYMENTS,
    )
    body: list[list[Cell]] = [
        [
            local(r.issued_at, r.timezone),
            r.lot_name,
            r.number,
            label(BUYER_KINDS, r.buyer_kind),
            r.buyer_name,
            r.tax_number,
            yuan(r.amount_fen),
            yuan(r.tax_fen),
            label(INVOICE_STATUSES, r.status),
            local(r.reversed_at, r.timezone),
            r.payments,
        ]
        for r in rows
    ]
    lines = (
        (ReportText.TOTAL_ISSUED, total.issued_fen, total.issued_tax_fen),
        (ReportText.TOTAL_REVERSED, total.reversed_fen, total.reversed_tax_fen),
        (ReportText.TOTAL_NET, total.net_fen, total.net_tax_fen),
    )
    body.extend([text(key), None, None, None, None, None, yuan(fen), yuan(tax)] for key, fen, tax in lines)
    return Sheet(text(ReportText.SHEET_INVOICES), _headers(*keys), body)
