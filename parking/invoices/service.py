"""Operators' invoice use-cases: a lot's invoicing settings, retrying a failed invoice, asking for a reversal.

Each runs in the caller's scoped transaction (another tenant's invoice or lot reads as absent), is audited, and
refuses with a coded error, nothing written. The provider work itself follows after the commit (hooks.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import audit, crud
from parking.common.actor import Actor
from parking.common.domain_events import emit
from parking.common.errors import ErrorCode
from parking.invoices.events import InvoiceRequested, InvoiceReversalWanted
from parking.invoices.models import (
    DEFAULT_DEADLINE_DAYS,
    DEFAULT_TAX_RATE_PERMILLE,
    PARKING_GOODS_CODE,
    Invoice,
    InvoiceStatus,
    LotInvoiceSettings,
)
from parking.invoices.requests import TAX_NUMBER
from parking.invoices.texts import InvoiceText, refuse
from parking.tenancy.models import Lot

# The VAT rates a parking service can carry (per mille): 0, 1%, 3%, 5%, 6%, 9%, 13%.
TAX_RATES = frozenset({0, 10, 30, 50, 60, 90, 130})
MAX_DEADLINE_DAYS = 3650
GOODS_CODE = re.compile(r"\d{19}")
_LENGTHS = {
    "seller_address": 100,
    "seller_phone": 20,
    "seller_bank_account": 100,
    "clerk": 20,
    "goods_name": 90,
}
_MAX_SELLER_NAME = 100


@dataclass(frozen=True)
class InvoiceSettingsChange:
    """A lot's new settings; a field left None keeps its value (or takes the default on a first setting)."""

    enabled: bool | None = None
    seller_name: str | None = None
    seller_tax_number: str | None = None
    seller_address: str | None = None
    seller_phone: str | None = None
    seller_bank_account: str | None = None
    clerk: str | None = None
    tax_rate_permille: int | None = None
    goods_code: str | None = None
    goods_name: str | None = None
    deadline_days: int | None = None


def _checked(change: InvoiceSettingsChange) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in fields(change):
        value = getattr(change, f.name)
        if value is not None:
            values[f.name] = value.strip() if isinstance(value, str) else value
    name = values.get("seller_name")
    if name is not None and not 0 < len(str(name)) <= _MAX_SELLER_NAME:
        raise refuse(ErrorCode.INVALID, InvoiceText.SELLER_NAME_INVALID, "sellerName", max=_MAX_SELLER_NAME)
    if (tax := values.get("seller_tax_number")) is not None:
        values["seller_tax_number"] = tax = str(tax).upper()
        if not TAX_NUMBER.fullmatch(tax):
            raise refuse(ErrorCode.INVALID, InvoiceText.TAX_NUMBER_INVALID, "sellerTaxNumber")
    for key, limit in _LENGTHS.items():
        if len(str(values.get(key, ""))) > limit:
            name = "".join(p.capitalize() if i else p for i, p in enumerate(key.split("_")))
            raise refuse(ErrorCode.INVALID, InvoiceText.SELLER_FIELD_TOO_LONG, name, name=name, max=limit)
    if (rate := values.get("tax_rate_permille")) is not None and rate not in TAX_RATES:
        raise refuse(ErrorCode.INVALID, InvoiceText.TAX_RATE_INVALID, "taxRatePermille")
    if (code := values.get("goods_code")) is not None and not GOODS_CODE.fullmatch(str(code)):
        raise refuse(ErrorCode.INVALID, InvoiceText.GOODS_CODE_INVALID, "goodsCode")
    days = values.get("deadline_days")
    if days is not None and not (isinstance(days, int) and 1 <= days <= MAX_DEADLINE_DAYS):
        raise refuse(ErrorCode.INVALID, InvoiceText.DEADLINE_INVALID, "deadlineDays", max=MAX_DEADLINE_DAYS)
    return values


async def update_settings(
    session: AsyncSession, actor: Actor, lot_id: str, change: InvoiceSettingsChange
) -> LotInvoiceSettings:
    """Set a lot's invoicing entity and tax settings (a first setting needs the seller's name and tax number)."""
    values = _checked(change)
    lot = await session.get(Lot, crud.parse_id(lot_id, "lotId"))
    if lot is None:  # another tenant's lot reads as absent (the session is scoped)
        raise refuse(ErrorCode.NOT_FOUND, InvoiceText.LOT_NOT_FOUND, "lotId")
    row = await session.scalar(select(LotInvoiceSettings).where(LotInvoiceSettings.lot_id == lot.id).with_for_update())
    before = audit.snapshot(row)
    if row is None:
        if "seller_name" not in values:
            raise refuse(ErrorCode.INVALID, InvoiceText.SELLER_NAME_INVALID, "sellerName", max=_MAX_SELLER_NAME)
        if "seller_tax_number" not in values:
            raise refuse(ErrorCode.INVALID, InvoiceText.TAX_NUMBER_INVALID, "sellerTaxNumber")
        row = LotInvoiceSettings(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            enabled=True,
            tax_rate_permille=DEFAULT_TAX_RATE_PERMILLE,
            goods_code=PARKING_GOODS_CODE,
            deadline_days=DEFAULT_DEADLINE_DAYS,
        )
        session.add(row)
    for key, value in values.items():
        setattr(row, key, value)
    await session.flush()
    audit.record(
        session,
        actor,
        "invoice_settings.update",
        "lot_invoice_settings",
        entity_id=row.id,
        before=before,
        after=audit.snapshot(row),
        tenant=lot,
    )
    return row


async def settings_of(session: AsyncSession, lot_id: str) -> LotInvoiceSettings | None:
    return await session.scalar(
        select(LotInvoiceSettings).where(LotInvoiceSettings.lot_id == crud.parse_id(lot_id, "lotId"))
    )


async def _invoice(session: AsyncSession, invoice_id: str) -> Invoice:
    row = await session.get(Invoice, crud.parse_id(invoice_id), with_for_update=True, populate_existing=True)
    if row is None:
        raise refuse(ErrorCode.NOT_FOUND, InvoiceText.INVOICE_NOT_FOUND, "id")
    return row


async def _move(
    session: AsyncSession,
    actor: Actor,
    invoice_id: str,
    now: datetime,
    *,
    allowed: tuple[InvoiceStatus, ...],
    refusal: InvoiceText,
    to: InvoiceStatus,
    action: str,
) -> Invoice:
    """An operator's move of an invoice from one of ``allowed`` to ``to``, audited; refused otherwise."""
    invoice = await _invoice(session, invoice_id)
    if invoice.status not in allowed:
        raise refuse(ErrorCode.CONFLICT, refusal, "id")
    before = audit.snapshot(invoice)
    invoice.status, invoice.updated_at = to, now
    await session.flush()
    audit.record(
        session,
        actor,
        action,
        "invoice",
        entity_id=invoice.id,
        before=before,
        after=audit.snapshot(invoice),
        tenant=invoice,
    )
    return invoice


async def retry_invoice(session: AsyncSession, actor: Actor, invoice_id: str, now: datetime) -> Invoice:
    """Send a failed invoice to the provider again (it asks the provider first: nothing is issued twice)."""
    invoice = await _move(
        session,
        actor,
        invoice_id,
        now,
        allowed=(InvoiceStatus.FAILED,),
        refusal=InvoiceText.NOT_RETRYABLE,
        to=InvoiceStatus.REQUESTED,
        action="invoice.retry",
    )
    emit(session, InvoiceRequested(invoice.id))
    return invoice


async def reverse_invoice_request(session: AsyncSession, actor: Actor, invoice_id: str, now: datetime) -> Invoice:
    """Ask for the red-letter reversal of an issued invoice (or again, of one whose reversal stalled)."""
    invoice = await _move(
        session,
        actor,
        invoice_id,
        now,
        allowed=(InvoiceStatus.ISSUED, InvoiceStatus.REVERSING),
        refusal=InvoiceText.NOT_REVERSIBLE,
        to=InvoiceStatus.REVERSING,
        action="invoice.reverse",
    )
    emit(session, InvoiceReversalWanted(invoice.id))
    return invoice
