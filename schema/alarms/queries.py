"""Alarm queries: the scoped list with filters, newest first by default."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.alarms.models import Alarm, AlarmKind, AlarmSeverity, AlarmStatus
from schema.alarms.types import AlarmType
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires

DESC = SortDirection.DESC


@strawberry.input
class AlarmFilter:
    lot_id: strawberry.ID | None = None
    kind: AlarmKind | None = None
    severity: AlarmSeverity | None = None
    status: AlarmStatus | None = None
    raised_from: datetime | None = None
    raised_to: datetime | None = None


@strawberry.type
class AlarmsQuery:
    @strawberry.field(extensions=requires(Perm.ALARMS_VIEW), description=describe("Alarms.", Perm.ALARMS_VIEW))
    async def alarms(
        self,
        info: Info,
        filter: AlarmFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[AlarmType]:
        f, m, w = filter or AlarmFilter(), Alarm, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal(w, m.kind, f.kind)
        flt.equal(w, m.severity, f.severity)
        flt.equal(w, m.status, f.status)
        flt.between(w, m.raised_at, f.raised_from, f.raised_to, "raised")
        return cast(Connection[AlarmType], await list_page(info, m, w, m.raised_at, direction, first, after))
