"""Downloads of the reports: ``GET /api/reports/{report}.csv`` or ``.xlsx`` with the operator's bearer token.

Reports: ``flow`` (``by=lot|lane|vehicle_class|day|area|region``), ``peak-hours``, ``channels``, ``kinds`` and ``daily``
(``by=lot|lane|region|booth``; ``byLane=true`` still means lanes); the detail reports ``fee-details``
(收费明细), ``renewals`` (续费明细, with a total line), ``invoices`` (电子发票明细, with totals) and ``shifts``
(交接班, ``operatorId=`` for one cashier's); every one takes ``from`` and ``to`` (local days, inclusive, at most
92) and optionally ``lotIds=1,2``. The same figures as the GraphQL report queries, in the caller's scope, under
the same permissions (traffic: records.view; money: finance.view). Bad input answers
400 with a code, never a sheet.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth import authenticate_request
from parking.accounts.permissions import Perm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.overview.service import DateRange
from parking.reports import detail_sheets, export, reports
from parking.reports.fee_details import all_fee_details
from parking.reports.invoice_details import all_invoice_details, invoice_total
from parking.reports.renewal_details import all_renewal_details, renewal_total
from parking.reports.shifts import all_shift_rows

_NO_CACHE = {"Cache-Control": "private, no-store"}
_TYPES = {
    export.Format.CSV: "text/csv; charset=utf-8",
    export.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Build = Callable[[Database, AsyncSession, reports.Query, Request], Awaitable[export.Sheet]]


class BadInput(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _bad(field: str | None, message: str) -> Response:
    return JSONResponse({"error": ErrorCode.INVALID.value, "field": field, "message": message}, status_code=400)


def _day(request: Request, name: str) -> date:
    raw = request.query_params.get(name, "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadInput(name, f"{name}: a day as YYYY-MM-DD") from None


def _lot_ids(request: Request) -> list[int] | None:
    raw = request.query_params.get("lotIds")
    if raw is None:
        return None
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise BadInput("lotIds", "lotIds: lot ids separated by commas") from None
    if not ids or len(ids) > 1000 or not all(0 < i < 2**63 for i in ids):
        raise BadInput("lotIds", "lotIds: 1 to 1000 lot ids")
    return ids


def _flow_by(request: Request) -> reports.FlowBy:
    try:
        return reports.FlowBy(request.query_params.get("by", reports.FlowBy.LOT.value))
    except ValueError:
        raise BadInput("by", f"by: one of {', '.join(b.value for b in reports.FlowBy)}") from None


def _daily_by(request: Request) -> reports.DailyBy:
    """``by=lot|lane|region|booth``; ``byLane=true`` (the older spelling) is ``by=lane``."""
    raw = request.query_params.get("by")
    if raw is None:
        by_lane = request.query_params.get("byLane", "false").lower() in ("1", "true", "yes")
        return reports.DailyBy.LANE if by_lane else reports.DailyBy.LOT
    try:
        return reports.DailyBy(raw)
    except ValueError:
        raise BadInput("by", f"by: one of {', '.join(b.value for b in reports.DailyBy)}") from None


async def _flow(db: Database, s: AsyncSession, q: reports.Query, request: Request) -> export.Sheet:
    by = _flow_by(request)
    return export.flow_sheet(await reports.flow(db, s, q, by), by)


async def _peak_hours(db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    return export.peak_hours_sheet(await reports.peak_hours(db, s, q))


async def _channels(db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    return export.channels_sheet(await reports.fees_by_channel(db, s, q))


async def _kinds(db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    return export.kinds_sheet(await reports.fees_by_kind(db, s, q))


async def _daily(db: Database, s: AsyncSession, q: reports.Query, request: Request) -> export.Sheet:
    by = _daily_by(request)
    return export.daily_sheet(await reports.daily(db, s, q, by), by)


def _operator_id(request: Request) -> int | None:
    raw = request.query_params.get("operatorId")
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadInput("operatorId", "operatorId: an operator id") from None
    if not 0 < value < 2**63:
        raise BadInput("operatorId", "operatorId: an operator id")
    return value


async def _fee_details(_db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    return detail_sheets.fee_details_sheet(await all_fee_details(s, q.period, q.lot_ids))


async def _renewals(_db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    rows = await all_renewal_details(s, q.period, q.lot_ids)
    return detail_sheets.renewals_sheet(rows, await renewal_total(s, q.period, q.lot_ids))


async def _invoices(_db: Database, s: AsyncSession, q: reports.Query, _request: Request) -> export.Sheet:
    rows = await all_invoice_details(s, q.period, q.lot_ids)
    return detail_sheets.invoices_sheet(rows, await invoice_total(s, q.period, q.lot_ids))


async def _shifts(_db: Database, s: AsyncSession, q: reports.Query, request: Request) -> export.Sheet:
    rows = await all_shift_rows(s, q.period, q.now, q.lot_ids, _operator_id(request))
    return detail_sheets.shifts_sheet(rows)


REPORTS: dict[str, tuple[Perm, Build]] = {
    "flow": (Perm.RECORDS_VIEW, _flow),
    "peak-hours": (Perm.RECORDS_VIEW, _peak_hours),
    "channels": (Perm.FINANCE_VIEW, _channels),
    "kinds": (Perm.FINANCE_VIEW, _kinds),
    "daily": (Perm.FINANCE_VIEW, _daily),
    "fee-details": (Perm.FINANCE_VIEW, _fee_details),
    "renewals": (Perm.FINANCE_VIEW, _renewals),
    "invoices": (Perm.FINANCE_VIEW, _invoices),
    "shifts": (Perm.FINANCE_VIEW, _shifts),
}


class ReportEndpoints:
    def __init__(self, db: Database, secret_key: str) -> None:
        self.db = db
        self.secret_key = secret_key

    def routes(self) -> list[Route]:
        return [Route("/api/reports/{name}.{fmt}", self.download, methods=["GET"])]

    async def download(self, request: Request) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        actor = await authenticate_request(self.db, self.secret_key, request, request_id)
        if actor is None:
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        name = request.path_params["name"]
        found = REPORTS.get(name)
        try:
            fmt = export.Format(request.path_params["fmt"])
        except ValueError:
            found = None
        if found is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        perm, build = found
        if not actor.can(perm):
            return JSONResponse({"error": "forbidden"}, status_code=403)
        try:
            first, last = _day(request, "from"), _day(request, "to")
            query = reports.Query(DateRange(first, last), utcnow(), _lot_ids(request))
            async with self.db.session(actor.scope) as session:
                sheet = await build(self.db, session, query, request)
        except BadInput as err:
            return _bad(err.field, str(err))
        except DomainError as err:
            return _bad(err.field, err.message)
        filename = f"{name}-{first.isoformat()}-{last.isoformat()}.{fmt.value}"
        return Response(
            export.render(sheet, fmt),
            media_type=_TYPES[fmt],
            headers={**_NO_CACHE, "Content-Disposition": f'attachment; filename="{filename}"'},
        )
