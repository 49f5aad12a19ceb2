"""Invoice mutations: a driver asks for an invoice (driver token); operators retry a failed one, reverse an issued
one and set a lot's invoicing settings. Each answers ``Success | InvoiceError``; a refusal changes nothing."""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.invoices import service
from parking.invoices.models import BuyerKind
from parking.invoices.requests import InvoiceRequest, request_invoice
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.invoices import types as t


@strawberry.input
class InvoiceRequestInput:
    order_ids: list[strawberry.ID] = strawberry.field(description="The driver's paid payments, of one lot (≤ 20).")
    title: str = strawberry.field(description="发票抬头: the person's or the company's name.")
    buyer_kind: BuyerKind = BuyerKind.PERSONAL
    tax_number: str = strawberry.field(default="", description="纳税人识别号: required of a company, none of a person.")
    email: str = strawberry.field(description="Where the provider mails the invoice.")


@strawberry.input(description="A lot's invoicing settings; a field left out keeps its value.")
class LotInvoiceSettingsInput:
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


def _invoice(row: object) -> t.InvoiceSuccess:
    return t.InvoiceSuccess(invoice=cast(t.InvoiceType, row))


@strawberry.type
class InvoicesMutation:
    @strawberry.mutation(
        description="Ask for an electronic invoice of one or more of the signed-in driver's paid payments (driver "
        "token); the amount is theirs. Refusals, nothing changed: UNAUTHENTICATED, INVALID (input; payments of "
        "several lots), NOT_FOUND (no such payment, or another driver's), CONFLICT (not paid, refunded, or the lot "
        "issues no invoices), DUPLICATE (already invoiced), EXPIRED (past the lot's deadline)."
    )
    async def invoice_request(self, info: Info, input: InvoiceRequestInput) -> t.InvoiceRequestResult:
        try:
            ids = tuple(parse_id(i, "orderIds") for i in input.order_ids)
            request = InvoiceRequest(ids, input.title, input.buyer_kind, input.tax_number, input.email)
            async with info.context.db.transaction(Scope.internal()) as session:
                row = await request_invoice(session, info.context.driver_openid, request, utcnow())
                answer = t.DriverInvoice.of(row)
        except DomainError as err:
            return error_from(err, t.InvoiceError)
        return t.DriverInvoiceSuccess(invoice=answer)

    @strawberry.mutation(
        extensions=requires(Perm.REFUNDS_REQUEST),
        description=describe(
            "Send a FAILED invoice to the provider again (it asks the provider first: nothing is issued twice).",
            Perm.REFUNDS_REQUEST,
        ),
    )
    async def invoice_retry(self, info: Info, id: strawberry.ID) -> t.InvoiceResult:
        return await run(info, lambda s, a: service.retry_invoice(s, a, id, utcnow()), t.InvoiceError, _invoice)

    @strawberry.mutation(
        extensions=requires(Perm.REFUNDS_APPROVE),
        description=describe(
            "Reverse an ISSUED invoice with a red-letter (红字) invoice at the provider (a refunded payment's "
            "invoice is reversed by itself).",
            Perm.REFUNDS_APPROVE,
        ),
    )
    async def invoice_reverse(self, info: Info, id: strawberry.ID) -> t.InvoiceResult:
        return await run(
            info, lambda s, a: service.reverse_invoice_request(s, a, id, utcnow()), t.InvoiceError, _invoice
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe(
            "Set a lot's invoicing entity and tax settings (a first setting names the seller and its tax number).",
            Perm.LOTS_MANAGE,
        ),
    )
    async def lot_invoice_settings_update(
        self, info: Info, lot_id: strawberry.ID, input: LotInvoiceSettingsInput
    ) -> t.LotInvoiceSettingsResult:
        change = service.InvoiceSettingsChange(**vars(input))
        return await run(
            info,
            lambda s, a: service.update_settings(s, a, lot_id, change),
            t.InvoiceError,
            lambda row: t.LotInvoiceSettingsSuccess(settings=cast(t.LotInvoiceSettingsType, row)),
        )
