"""Device queries: devices, commands to devices and barriers with their results (newest first), and the config
schema for operator forms."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import ColumnElement
from strawberry.scalars import JSON

from hardware.registry import config_json_schema
from parking.accounts.permissions import Perm
from parking.devices.models import (
    Device,
    DeviceCommand,
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceKind,
    DeviceStatus,
    GateCommand,
    GateCommandStatus,
)
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.devices.types import DeviceCommandType, DeviceType, GateCommandType


@strawberry.input
class DeviceFilter:
    lot_id: strawberry.ID | None = None
    lane_id: strawberry.ID | None = None
    kind: DeviceKind | None = None
    status: DeviceStatus | None = None


@strawberry.input
class DeviceCommandFilter:
    lot_id: strawberry.ID | None = None
    device_id: strawberry.ID | None = None
    kind: DeviceCommandKind | None = None
    status: DeviceCommandStatus | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None


@strawberry.input
class GateCommandFilter:
    lot_id: strawberry.ID | None = None
    lane_id: strawberry.ID | None = None
    status: GateCommandStatus | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None


@strawberry.type
class DevicesQuery:
    @strawberry.field(extensions=requires(Perm.DEVICES_VIEW), description=describe("Devices.", Perm.DEVICES_VIEW))
    async def devices(
        self, info: Info, filter: DeviceFilter | None = None, first: int = 50, after: str | None = None
    ) -> Connection[DeviceType]:
        f = filter or DeviceFilter()
        where: list[ColumnElement[bool]] = []
        flt.equal_id(where, Device.lot_id, f.lot_id, "lotId")
        flt.equal_id(where, Device.lane_id, f.lane_id, "laneId")
        flt.equal(where, Device.kind, f.kind)
        flt.equal(where, Device.status, f.status)
        page = await list_page(info, Device, where, Device.id, SortDirection.ASC, first, after)
        return cast(Connection[DeviceType], page)

    @strawberry.field(
        extensions=requires(Perm.DEVICES_VIEW), description=describe("Device commands.", Perm.DEVICES_VIEW)
    )
    async def device_commands(
        self,
        info: Info,
        filter: DeviceCommandFilter | None = None,
        direction: SortDirection = SortDirection.DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[DeviceCommandType]:
        f, m = filter or DeviceCommandFilter(), DeviceCommand
        w: list[ColumnElement[bool]] = []
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.device_id, f.device_id, "deviceId")
        flt.equal(w, m.kind, f.kind)
        flt.equal(w, m.status, f.status)
        flt.between(w, m.issued_at, f.issued_from, f.issued_to, "issued")
        return cast(Connection[DeviceCommandType], await list_page(info, m, w, m.issued_at, direction, first, after))

    @strawberry.field(extensions=requires(Perm.RECORDS_VIEW), description=describe("Gate commands.", Perm.RECORDS_VIEW))
    async def gate_commands(
        self,
        info: Info,
        filter: GateCommandFilter | None = None,
        direction: SortDirection = SortDirection.DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[GateCommandType]:
        f, m, w = filter or GateCommandFilter(), GateCommand, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.lane_id, f.lane_id, "laneId")
        flt.equal(w, m.status, f.status)
        flt.between(w, m.issued_at, f.issued_from, f.issued_to, "issued")
        return cast(Connection[GateCommandType], await list_page(info, m, w, m.issued_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.DEVICES_VIEW),
        description=describe("JSON schema of device configs (a union on `type`), for forms.", Perm.DEVICES_VIEW),
    )
    def device_config_schema(self) -> JSON:
        return cast(JSON, config_json_schema())
