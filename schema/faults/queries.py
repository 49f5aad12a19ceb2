"""Fault ticket queries: the scoped list with filters, newest first by default."""

from __future__ import annotations

from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.faults.models import FaultStatus, FaultTicket
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.faults.types import FaultTicketType

DESC = SortDirection.DESC


@strawberry.input
class FaultTicketFilter:
    lot_id: strawberry.ID | None = None
    device_id: strawberry.ID | None = None
    status: FaultStatus | None = None


@strawberry.type
class FaultsQuery:
    @strawberry.field(
        extensions=requires(Perm.FAULTS_MANAGE), description=describe("Fault tickets.", Perm.FAULTS_MANAGE)
    )
    async def fault_tickets(
        self,
        info: Info,
        filter: FaultTicketFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[FaultTicketType]:
        f, m, w = filter or FaultTicketFilter(), FaultTicket, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.device_id, f.device_id, "deviceId")
        flt.equal(w, m.status, f.status)
        return cast(Connection[FaultTicketType], await list_page(info, m, w, m.created_at, direction, first, after))
