"""Wires e-invoices into the app: provider work to Dramatiq with Redis, else to tasks in this process; and the
PDF downloads, through our API and scoped (a driver gets only their own, an operator only their tenants')."""

from __future__ import annotations

import logging

import httpx
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth import authenticate_request, bearer_token
from config.invoice_provider import load_invoice_providers
from config.settings import Settings
from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers import read_driver_token
from parking.invoices.dispatch import InProcessInvoices
from parking.invoices.events import InvoiceRequested, InvoiceReversalWanted
from parking.invoices.hooks import SERVICE, InvoiceDispatch, after_refund, after_requested, after_reversal_wanted
from parking.invoices.models import Invoice, InvoiceStatus
from parking.payments.events import PaymentRefunded

logger = logging.getLogger(__name__)

_DOWNLOADABLE = (InvoiceStatus.ISSUED, InvoiceStatus.REVERSING, InvoiceStatus.REVERSED)
PDF_TIMEOUT_S = 10.0
MAX_PDF_BYTES = 5 * 1024 * 1024


class DramatiqInvoices:
    """Sends each job to the ``invoices`` queue (workers/invoices.py) through the outbox (workers/jobs.py), so a
    hung or absent Redis never holds the request that asked for an invoice or a refund."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def issue(self, invoice_id: int) -> None:
        from workers.invoices import issue_invoice_job
        from workers.jobs import send_after_commit

        await send_after_commit(self._db, issue_invoice_job, invoice_id)

    async def reverse(self, invoice_id: int) -> None:
        from workers.invoices import reverse_invoice_job
        from workers.jobs import send_after_commit

        await send_after_commit(self._db, reverse_invoice_job, invoice_id)

    async def order_refunded(self, order_id: int) -> None:
        from workers.invoices import reverse_refunded_order
        from workers.jobs import send_after_commit

        await send_after_commit(self._db, reverse_refunded_order, order_id)


def install_invoices(db: Database, settings: Settings) -> InvoiceDispatch:
    db.handlers.on(InvoiceRequested, after_requested)
    db.handlers.on(InvoiceReversalWanted, after_reversal_wanted)
    db.handlers.on(PaymentRefunded, after_refund)
    dispatch: InvoiceDispatch
    if settings.redis_url:
        dispatch = DramatiqInvoices(db)
    else:
        dispatch = InProcessInvoices(db, load_invoice_providers(settings.payment_credentials))
    db.services[SERVICE] = dispatch
    return dispatch


def _error(code: str, message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class InvoiceEndpoints:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    def routes(self) -> list[Route]:
        return [
            Route("/api/driver/invoices/{id:int}/pdf", self.driver_pdf, methods=["GET"]),
            Route("/api/invoices/{id:int}/pdf", self.operator_pdf, methods=["GET"]),
        ]

    async def driver_pdf(self, request: Request) -> Response:
        token = bearer_token(request)
        openid = read_driver_token(self.settings.secret_key, token, utcnow()) if token else None
        if not openid:
            return _error("unauthenticated", "log in first", 401)
        async with self.db.session(Scope.internal()) as s:
            invoice = await s.scalar(
                select(Invoice).where(Invoice.id == request.path_params["id"], Invoice.openid == openid)
            )
        return await self._pdf(invoice)

    async def operator_pdf(self, request: Request) -> Response:
        actor = await authenticate_request(self.db, self.settings.secret_key, request, "")
        if actor is None:
            return _error("unauthenticated", "log in first", 401)
        if not actor.can(Perm.FINANCE_VIEW):
            return _error("permission_denied", f"permission {Perm.FINANCE_VIEW.value!r} required", 403)
        async with self.db.session(actor.scope) as s:  # another tenant's invoice reads as absent
            invoice = await s.get(Invoice, request.path_params["id"])
        return await self._pdf(invoice)

    async def _pdf(self, invoice: Invoice | None) -> Response:
        if invoice is None:
            return _error("not_found", "no such invoice", 404)
        if invoice.status not in _DOWNLOADABLE or not invoice.pdf_url:
            return _error("conflict", "the invoice is not issued", 409)
        try:
            async with httpx.AsyncClient(timeout=PDF_TIMEOUT_S) as http:
                reply = await http.get(invoice.pdf_url)
        except httpx.HTTPError as err:
            logger.warning("invoice %s: PDF unreachable: %s", invoice.id, type(err).__name__)
            return _error("unavailable", "the invoice PDF cannot be fetched now", 502)
        body = reply.content
        if reply.status_code != 200 or not body.startswith(b"%PDF") or len(body) > MAX_PDF_BYTES:
            logger.warning("invoice %s: PDF answer %s", invoice.id, reply.status_code)
            return _error("unavailable", "the invoice PDF cannot be fetched now", 502)
        name = f"invoice-{invoice.number or invoice.id}.pdf"
        return Response(
            body,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"},
        )
