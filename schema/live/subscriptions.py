"""GraphQL subscriptions: lane events, alarm changes and device status, each filtered to the caller's scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.alarms.models import Alarm
from parking.common.crud import parse_id
from parking.common.errors import DomainError, ErrorCode
from parking.common.events import Payload, alarms_topic, devices_topic, lane_events_topic
from parking.devices.models import Device
from parking.sessions.models import LaneEvent
from schema.alarms.types import AlarmType
from schema.core.context import Info
from schema.core.permissions import describe
from schema.devices.types import DeviceType
from schema.live.types import AlarmChange, AlarmChangeKind
from schema.live.watch import event_id, lanes_to_watch, lots_to_watch, watch
from schema.sessions.types import LaneEventType

_CHANGES = {kind.value: kind for kind in AlarmChangeKind}


@strawberry.type
class LiveSubscription:
    @strawberry.subscription(
        description=describe(
            "Lane events (readings and decisions) as they happen, for one lot or for the lanes named.",
            Perm.RECORDS_VIEW,
        )
    )
    async def lane_events(
        self, info: Info, lot_id: strawberry.ID | None = None, lane_ids: list[strawberry.ID] | None = None
    ) -> AsyncIterator[LaneEventType]:
        ctx = info.context
        ctx.require(Perm.RECORDS_VIEW)
        if lot_id is None and lane_ids is None:
            raise DomainError(ErrorCode.INVALID, "give lotId or laneIds", "lotId")
        lot = None if lot_id is None else parse_id(lot_id, "lotId")
        if lane_ids is None:
            lanes: dict[int, int] | None = None
            lots = await lots_to_watch(ctx, [strawberry.ID(str(lot))], "lotId")
        else:
            lanes = await lanes_to_watch(ctx, lane_ids, lot)
            lots = sorted(set(lanes.values()))

        async def load(session: AsyncSession, payload: Payload) -> LaneEventType | None:
            row_id = event_id(payload)
            row = None if row_id is None else await session.get(LaneEvent, row_id)
            if row is None or (lanes is not None and row.lane_id not in lanes):
                return None
            return cast(LaneEventType, row)

        return await watch(ctx, [lane_events_topic(lot) for lot in lots], load)

    @strawberry.subscription(
        description=describe(
            "Alarms raised, repeated, acknowledged or resolved in the lots named (all visible lots if none).",
            Perm.ALARMS_VIEW,
        )
    )
    async def alarms(self, info: Info, lot_ids: list[strawberry.ID] | None = None) -> AsyncIterator[AlarmChange]:
        ctx = info.context
        ctx.require(Perm.ALARMS_VIEW)
        lots = await lots_to_watch(ctx, lot_ids)

        async def load(session: AsyncSession, payload: Payload) -> AlarmChange | None:
            row_id, change = event_id(payload), _CHANGES.get(str(payload.get("change")))
            row = None if row_id is None or change is None else await session.get(Alarm, row_id)
            return None if row is None or change is None else AlarmChange(change=change, alarm=cast(AlarmType, row))

        return await watch(ctx, [alarms_topic(lot) for lot in lots], load)

    @strawberry.subscription(
        description=describe(
            "Devices whose status changed (online, offline, retrying) in the lots named (all visible lots if none).",
            Perm.DEVICES_VIEW,
        )
    )
    async def device_status(self, info: Info, lot_ids: list[strawberry.ID] | None = None) -> AsyncIterator[DeviceType]:
        ctx = info.context
        ctx.require(Perm.DEVICES_VIEW)
        lots = await lots_to_watch(ctx, lot_ids)

        async def load(session: AsyncSession, payload: Payload) -> DeviceType | None:
            row_id = event_id(payload)
            row = None if row_id is None else await session.get(Device, row_id)
            return cast(DeviceType | None, row)

        return await watch(ctx, [devices_topic(lot) for lot in lots], load)
