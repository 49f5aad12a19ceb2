"""Issuing an invoice at the provider and reversing it (红字), run by the invoice actors (workers/invoices.py).

Both are idempotent and safe to run twice or at once. Our order number at the provider is derived from the
invoice id (provider.py), so a run that follows an earlier attempt (whose answer may have been lost to a timeout)
first asks the provider about that number and only sends when the provider never got it; two runs that both
send meet the provider's refusal of a duplicate number and then ask. Nothing is issued twice.

A provider that cannot be reached raises ``ProviderUnavailable`` (and ``InvoicePending`` while it is still
working): the actor retries with backoff. A refusal is final: the invoice is FAILED with the provider's words,
and an operator may retry it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.errors import NotFound
from parking.common.scope import Scope
from parking.invoices.models import Invoice, InvoiceOrder, InvoiceStatus, LotInvoiceSettings
from parking.invoices.provider import (
    BlueRequest,
    Buyer,
    InvoiceProviders,
    Line,
    ProviderDuplicate,
    ProviderInvoice,
    ProviderRefused,
    ProviderState,
    ProviderUnavailable,
    RedRequest,
    Seller,
    blue_order_no,
    red_order_no,
)
from parking.invoices.texts import InvoiceText, text

logger = logging.getLogger(__name__)

CHINA = ZoneInfo("Asia/Shanghai")
MAX_ERROR = 200
_CLAIMABLE = (InvoiceStatus.REQUESTED, InvoiceStatus.ISSUING)
_UNISSUED = (InvoiceStatus.REQUESTED, InvoiceStatus.FAILED)


class InvoicePending(ProviderUnavailable):
    """The provider has it and is still working on it: ask again later."""


def blue_request(invoice: Invoice, settings: LotInvoiceSettings, now: datetime) -> BlueRequest:
    seller = Seller(
        settings.seller_name,
        settings.seller_tax_number,
        settings.seller_address,
        settings.seller_phone,
        settings.seller_bank_account,
        settings.clerk,
    )
    goods = settings.goods_name or text(InvoiceText.PARKING_FEE)
    line = Line(goods, settings.goods_code, invoice.amount_fen, settings.tax_rate_permille)
    return BlueRequest(
        order_no=blue_order_no(invoice.id),
        seller=seller,
        buyer=Buyer(invoice.title, invoice.tax_number, invoice.email),
        lines=(line,),
        issued_at_local=now.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
    )


async def _settings(tx: AsyncSession, invoice: Invoice) -> LotInvoiceSettings | None:
    return await tx.scalar(select(LotInvoiceSettings).where(LotInvoiceSettings.lot_id == invoice.lot_id))


async def _set(db: Database, invoice_id: int, only_from: tuple[InvoiceStatus, ...], **values: object) -> bool:
    """Update the invoice if it is still in one of ``only_from``; whether it was."""
    async with db.transaction(Scope.internal()) as tx:
        result = await tx.execute(
            update(Invoice)
            .where(Invoice.id == invoice_id, Invoice.status.in_(only_from))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        changed = bool(getattr(result, "rowcount", 0))
        if changed and values.get("status") in (InvoiceStatus.VOID, InvoiceStatus.REVERSED):
            # It no longer stands: its orders may be invoiced again (a refunded one is refused on its own).
            await tx.execute(delete(InvoiceOrder).where(InvoiceOrder.invoice_id == invoice_id))
        return changed


async def _ask_or_send(
    ask: Callable[[], Awaitable[ProviderInvoice | None]],
    send: Callable[[], Awaitable[str]],
    asked_before: bool,
) -> ProviderInvoice | None:
    """The provider's record, sending the request first unless it has it already (a duplicate refusal means it
    received it before)."""
    found = await ask() if asked_before else None
    if found is not None:
        return found
    try:
        await send()
    except ProviderDuplicate:
        logger.info("the provider had the request already: reading its result")
    return await ask()


async def issue_invoice(db: Database, providers: InvoiceProviders, invoice_id: int, now: datetime) -> InvoiceStatus:
    """Have the provider issue a requested invoice; the invoice's status afterwards."""
    async with db.transaction(Scope.internal()) as tx:
        invoice = await tx.get(Invoice, invoice_id, with_for_update=True, populate_existing=True)
        if invoice is None:
            raise NotFound("invoice", "id")
        if invoice.status not in _CLAIMABLE:
            return invoice.status
        asked_before = invoice.status is InvoiceStatus.ISSUING or invoice.attempts > 0
        invoice.status, invoice.attempts, invoice.updated_at = InvoiceStatus.ISSUING, invoice.attempts + 1, now
        settings = await _settings(tx, invoice)
        request = blue_request(invoice, settings, now) if settings is not None else None
    provider = providers.for_seller(request.seller.tax_number) if request is not None else None
    if request is None or provider is None:
        await _set(db, invoice_id, _CLAIMABLE, status=InvoiceStatus.FAILED, last_error=_err_text())
        return InvoiceStatus.FAILED
    tax_number = request.seller.tax_number
    try:
        found = await _ask_or_send(
            lambda: provider.query(tax_number, request.order_no), lambda: provider.issue(request), asked_before
        )
    except ProviderRefused as err:
        await _set(db, invoice_id, _CLAIMABLE, status=InvoiceStatus.FAILED, last_error=_short(err.message))
        return InvoiceStatus.FAILED
    except ProviderUnavailable as err:
        await _set(db, invoice_id, _CLAIMABLE, last_error=_short(str(err)), updated_at=now)
        raise
    if found is None or found.state is ProviderState.PENDING:
        await _set(db, invoice_id, _CLAIMABLE, last_error=text(InvoiceText.PROVIDER_PENDING), updated_at=now)
        raise InvoicePending(f"invoice {invoice_id}: pending at the provider")
    if found.state is ProviderState.FAILED:
        await _set(db, invoice_id, _CLAIMABLE, status=InvoiceStatus.FAILED, last_error=_short(found.fail_reason))
        return InvoiceStatus.FAILED
    await _set(
        db,
        invoice_id,
        _CLAIMABLE,
        status=InvoiceStatus.ISSUED,
        number=found.number,
        serial_no=found.serial_no,
        pdf_url=found.pdf_url,
        issued_at=now,
        last_error="",
        updated_at=now,
    )
    return InvoiceStatus.ISSUED


async def reverse_invoice(db: Database, providers: InvoiceProviders, invoice_id: int, now: datetime) -> InvoiceStatus:
    """Reverse an invoice: one never issued is voided, an issued one gets its red-letter invoice. The status
    afterwards; ``InvoicePending`` while it is being issued (the reversal follows once it is)."""
    async with db.transaction(Scope.internal()) as tx:
        invoice = await tx.get(Invoice, invoice_id, with_for_update=True, populate_existing=True)
        if invoice is None:
            raise NotFound("invoice", "id")
        status = invoice.status
        settings = await _settings(tx, invoice)
        tax_number = settings.seller_tax_number if settings is not None else ""
        red = RedRequest(
            order_no=red_order_no(invoice.id),
            seller_tax_number=tax_number,
            seller_name=settings.seller_name if settings is not None else "",
            buyer_name=invoice.title,
            blue_number=invoice.number,
            requested_at_local=now.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
        )
    if status in (InvoiceStatus.VOID, InvoiceStatus.REVERSED):
        return status
    if status in _UNISSUED:
        if await _set(db, invoice_id, _UNISSUED, status=InvoiceStatus.VOID, updated_at=now):
            return InvoiceStatus.VOID
        raise InvoicePending(f"invoice {invoice_id} changed meanwhile")
    if status is InvoiceStatus.ISSUING:
        raise InvoicePending(f"invoice {invoice_id} is being issued")
    standing = (InvoiceStatus.ISSUED, InvoiceStatus.REVERSING)
    await _set(db, invoice_id, standing, status=InvoiceStatus.REVERSING, updated_at=now)
    provider = providers.for_seller(tax_number)
    if provider is None:
        await _set(db, invoice_id, standing, last_error=_err_text(), updated_at=now)
        raise ProviderUnavailable(f"invoice {invoice_id}: no provider account for its seller")
    try:
        found = await _ask_or_send(
            lambda: provider.query_reversal(tax_number, red.order_no), lambda: provider.reverse(red), True
        )
    except ProviderRefused as err:
        # Left REVERSING with the provider's words: an operator sees it and may ask again.
        await _set(db, invoice_id, standing, last_error=_short(err.message), updated_at=now)
        return InvoiceStatus.REVERSING
    except ProviderUnavailable as err:
        await _set(db, invoice_id, standing, last_error=_short(str(err)), updated_at=now)
        raise
    if found is None or found.state is ProviderState.PENDING:
        raise InvoicePending(f"invoice {invoice_id}: reversal pending at the provider")
    if found.state is ProviderState.FAILED:
        await _set(db, invoice_id, standing, last_error=_short(found.fail_reason), updated_at=now)
        return InvoiceStatus.REVERSING
    await _set(
        db,
        invoice_id,
        standing,
        status=InvoiceStatus.REVERSED,
        red_serial_no=found.serial_no,
        red_number=found.number,
        reversed_at=now,
        last_error="",
        updated_at=now,
    )
    return InvoiceStatus.REVERSED


async def invoices_of_order(db: Database, order_id: int) -> list[int]:
    """The standing invoice of an order (none, or one): what a refund of it reverses."""
    async with db.session(Scope.internal()) as s:
        rows = await s.scalars(select(InvoiceOrder.invoice_id).where(InvoiceOrder.order_id == order_id))
        return list(rows)


def _short(message: str) -> str:
    return message[:MAX_ERROR]


def _err_text() -> str:
    return text(InvoiceText.PROVIDER_NOT_CONFIGURED)
