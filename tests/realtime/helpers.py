"""Committed changes that publish events, as the lane flow and device health do."""

from __future__ import annotations

from datetime import UTC, datetime

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.database import Database
from parking.common.events import lane_events_topic, publish_on_commit
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceKind, DeviceStatus
from parking.devices.status import Observation, record_observation
from parking.sessions.enums import EventKind
from parking.sessions.models import LaneEvent
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane, Lot
from tests.factories import World

NOW = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


async def raise_in(db: Database, world: World, lot: str, message: str, kind: AlarmKind = AlarmKind.GATE_FAILED) -> int:
    """An alarm raised in a committed transaction (so it is published after commit)."""
    async with db.transaction(Scope.internal()) as s:
        row = await s.get(Lot, world.ids[f"lot:{lot}"])
        assert row is not None
        alarm = await raise_alarm(s, LotRef.of(row), kind, message, now=NOW)
        return alarm.id


async def add_lane(db: Database, world: World, lot: str, name: str) -> int:
    async with db.transaction(Scope.internal()) as s:
        row = await s.get(Lot, world.ids[f"lot:{lot}"])
        assert row is not None
        lane = Lane(
            agent_id=row.agent_id,
            customer_id=row.customer_id,
            lot_id=row.id,
            name=name,
            direction=LaneDirection.EXIT,
            qr_token=name,
        )
        s.add(lane)
        await s.flush()
        return lane.id


async def record_lane_event(db: Database, lane_id: int, plate: str) -> int:
    """A lane event stored and published as the lane flow does: ``{"id": ...}`` on the lot's topic."""
    async with db.transaction(Scope.internal()) as s:
        lane = await s.get(Lane, lane_id)
        assert lane is not None
        event = LaneEvent(
            agent_id=lane.agent_id,
            customer_id=lane.customer_id,
            lot_id=lane.lot_id,
            lane_id=lane.id,
            kind=EventKind.ENTRY,
            at=NOW,
            received_at=NOW,
            plate=plate,
            confidence=0.97,
            dedup_key=f"{lane.id}:{plate}",
            opened=True,
            decision_reason="temporary",
        )
        s.add(event)
        await s.flush()
        publish_on_commit(s, lane_events_topic(lane.lot_id), {"id": event.id})
        return event.id


async def add_device(db: Database, world: World, lot: str, serial: str, lane_id: int | None = None) -> int:
    async with db.transaction(Scope.internal()) as s:
        row = await s.get(Lot, world.ids[f"lot:{lot}"])
        assert row is not None
        device = Device(
            agent_id=row.agent_id,
            customer_id=row.customer_id,
            lot_id=row.id,
            lane_id=lane_id,
            kind=DeviceKind.CAMERA,
            name=serial,
            serial=serial,
        )
        s.add(device)
        await s.flush()
        return device.id


async def set_device_status(db: Database, device_id: int, status: DeviceStatus) -> bool:
    """What device health polling records: a change of status is published to the lot's device topic."""
    online = status is DeviceStatus.ONLINE
    seen = Observation(online=online, seen_at=NOW if online else None, error="" if online else "no answer")
    async with db.transaction(Scope.internal()) as s:
        device = await s.get(Device, device_id)
        assert device is not None
        return await record_observation(s, device, seen, now=NOW)
