"""A driver asks for an invoice of one or more of their paid payments (mini-program, driver token).

Everything is checked before anything is written, and a refusal writes nothing: an order that is not theirs
(paid by another WeChat account) reads as absent, like one that does not exist; an order not paid, refunded (even
in part), already on an invoice or paid longer ago than the lot's deadline is refused with its own code. The
amount is the orders' (integer fen), never the driver's. The ``invoice_orders`` key makes "one invoice per order"
hold under two racing requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.domain_events import emit
from parking.common.errors import ErrorCode
from parking.invoices.events import InvoiceRequested
from parking.invoices.models import BuyerKind, Invoice, InvoiceOrder, InvoiceStatus, LotInvoiceSettings
from parking.invoices.texts import InvoiceText, refuse
from parking.payments.models import OrderStatus, PaymentOrder

MAX_ORDERS = 20
MAX_TITLE = 100
MAX_EMAIL = 100
TAX_NUMBER = re.compile(r"[0-9A-Z]{15,20}")
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
_UNPAID = {OrderStatus.CREATED, OrderStatus.PAYING, OrderStatus.FAILED, OrderStatus.CLOSED}
_REFUNDED = {OrderStatus.REFUNDED, OrderStatus.PARTLY_REFUNDED}


@dataclass(frozen=True)
class InvoiceRequest:
    order_ids: tuple[int, ...]
    title: str
    buyer_kind: BuyerKind
    tax_number: str
    email: str


def checked(request: InvoiceRequest) -> InvoiceRequest:
    """The request with its texts trimmed, or the first thing wrong with it."""
    ids = tuple(dict.fromkeys(request.order_ids))  # one order named twice is one order
    if not ids:
        raise refuse(ErrorCode.INVALID, InvoiceText.ORDERS_REQUIRED, "orderIds")
    if len(ids) > MAX_ORDERS:
        raise refuse(ErrorCode.INVALID, InvoiceText.TOO_MANY_ORDERS, "orderIds", limit=MAX_ORDERS)
    title, tax_number, email = request.title.strip(), request.tax_number.strip().upper(), request.email.strip()
    if not 0 < len(title) <= MAX_TITLE:
        raise refuse(ErrorCode.INVALID, InvoiceText.TITLE_INVALID, "title", max=MAX_TITLE)
    if request.buyer_kind is BuyerKind.COMPANY and not tax_number:
        raise refuse(ErrorCode.INVALID, InvoiceText.TAX_NUMBER_REQUIRED, "taxNumber")
    if request.buyer_kind is BuyerKind.PERSONAL and tax_number:
        raise refuse(ErrorCode.INVALID, InvoiceText.TAX_NUMBER_NOT_PERSONAL, "taxNumber")
    if tax_number and not TAX_NUMBER.fullmatch(tax_number):
        raise refuse(ErrorCode.INVALID, InvoiceText.TAX_NUMBER_INVALID, "taxNumber")
    if len(email) > MAX_EMAIL or not EMAIL.fullmatch(email):
        raise refuse(ErrorCode.INVALID, InvoiceText.EMAIL_INVALID, "email")
    return InvoiceRequest(ids, title, request.buyer_kind, tax_number, email)


async def request_invoice(session: AsyncSession, openid: str | None, request: InvoiceRequest, now: datetime) -> Invoice:
    """Record the invoice (REQUESTED) and, after the commit, hand it to the provider (hooks.py)."""
    if not openid:
        raise refuse(ErrorCode.UNAUTHENTICATED, InvoiceText.LOGIN_NEEDED)
    request = checked(request)
    # Locked: a refund of one of them waits until this is decided (and then reverses what it finds).
    rows = await session.scalars(
        select(PaymentOrder).where(PaymentOrder.id.in_(request.order_ids)).order_by(PaymentOrder.id).with_for_update()
    )
    orders = {o.id: o for o in rows if o.payer_key == openid}
    if len(orders) != len(request.order_ids):
        raise refuse(ErrorCode.NOT_FOUND, InvoiceText.ORDER_NOT_FOUND, "orderIds")
    if len({o.lot_id for o in orders.values()}) > 1:
        raise refuse(ErrorCode.INVALID, InvoiceText.ORDERS_OF_SEVERAL_LOTS, "orderIds")
    first = orders[request.order_ids[0]]
    settings = await session.scalar(select(LotInvoiceSettings).where(LotInvoiceSettings.lot_id == first.lot_id))
    if settings is None or not settings.enabled:
        raise refuse(ErrorCode.CONFLICT, InvoiceText.LOT_NOT_INVOICING, "orderIds")
    for order in orders.values():
        _check_order(order, settings.deadline_days, now)
    invoiced = await session.scalar(select(InvoiceOrder.order_id).where(InvoiceOrder.order_id.in_(list(orders))))
    if invoiced is not None:
        raise refuse(ErrorCode.DUPLICATE, InvoiceText.ORDER_INVOICED, "orderIds")
    invoice = Invoice(
        agent_id=first.agent_id,
        customer_id=first.customer_id,
        lot_id=first.lot_id,
        order_id=first.id,
        order_ids=[str(i) for i in request.order_ids],
        plate=first.plate,
        amount_fen=sum(o.amount_fen for o in orders.values()),
        title=request.title,
        buyer_kind=request.buyer_kind,
        tax_number=request.tax_number,
        email=request.email,
        openid=openid,
        status=InvoiceStatus.REQUESTED,
    )
    session.add(invoice)
    try:
        await session.flush()
        session.add_all(InvoiceOrder(order_id=i, invoice_id=invoice.id) for i in request.order_ids)
        await session.flush()
    except IntegrityError as err:  # another request took one of the orders since we looked
        raise refuse(ErrorCode.DUPLICATE, InvoiceText.ORDER_INVOICED, "orderIds") from err
    emit(session, InvoiceRequested(invoice.id))
    return invoice


def _check_order(order: PaymentOrder, deadline_days: int, now: datetime) -> None:
    if order.status in _UNPAID or order.paid_at is None:
        raise refuse(ErrorCode.CONFLICT, InvoiceText.ORDER_NOT_PAID, "orderIds")
    if order.status in _REFUNDED or order.refunded_fen or order.double_payment is not None:
        raise refuse(ErrorCode.CONFLICT, InvoiceText.ORDER_REFUNDED, "orderIds")
    if order.amount_fen <= 0:
        raise refuse(ErrorCode.INVALID, InvoiceText.ORDER_FREE, "orderIds")
    if order.paid_at + timedelta(days=deadline_days) < now:
        raise refuse(ErrorCode.EXPIRED, InvoiceText.ORDER_TOO_OLD, "orderIds", days=deadline_days)
