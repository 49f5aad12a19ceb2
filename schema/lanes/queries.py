"""Platform-level lane queries: pushes refused before their lot was known."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from parking.accounts.permissions import Perm
from parking.devices.models import DeviceRefusal
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import empty_page, list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires


@strawberry.type(name="DeviceRefusal", description="A device push refused before its lot was known.")
class DeviceRefusalType:
    id: strawberry.ID
    at: datetime
    protocol: str
    serial: str
    ip: str
    reason: str
    detail: str


@strawberry.type
class LanesQuery:
    @strawberry.field(
        extensions=requires(Perm.DEVICES_VIEW),
        description=describe(
            "Pushes from unknown serials or with unreadable bodies. They belong to no lot, so only platform "
            "operators see them (an empty list for everyone else).",
            Perm.DEVICES_VIEW,
        ),
    )
    async def device_refusals(
        self,
        info: Info,
        serial: str | None = None,
        at_from: datetime | None = None,
        at_to: datetime | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[DeviceRefusalType]:
        actor = info.context.actor
        if actor is None or not actor.scope.sees_unowned:
            return cast(Connection[DeviceRefusalType], empty_page())
        m, w = DeviceRefusal, []
        if serial:
            w.append(m.serial == serial)
        flt.between(w, m.at, at_from, at_to, "at")
        page = await list_page(info, m, w, m.at, SortDirection.DESC, first, after)
        return cast(Connection[DeviceRefusalType], page)
