"""What the lot edge agent needs to decide on its own, and taking back what it decided while cut off.

The snapshot is plain JSON: the lot's lanes and cameras, passes and list entries (incrementally, by
``updated_at``), tariff documents, and the stays open now. Replays are readings the edge decided locally; they
go through the normal lane flow as offline records, keyed by the same dedup key the camera's push would have
had, so a reading the cloud already saw (the reply was lost, not the request) is not counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.devices.models import Device, DeviceKind
from parking.lanes.flow import LaneInput, handle_reading
from parking.plates import PlateColor
from parking.sessions.enums import ReadingSource, SessionState
from parking.sessions.models import ParkingSession
from parking.tariffs.models import TariffVersion
from parking.tenancy.models import Area, Lane, Lot
from parking.vehicles.enums import PassStatus
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle, VehicleGroup


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def lot_snapshot(session: AsyncSession, lot_id: int, since: datetime | None, now: datetime) -> dict[str, Any]:
    lot = await session.get(Lot, lot_id)
    assert lot is not None
    lanes = list(
        await session.execute(select(Lane, Area).outerjoin(Area, Area.id == Lane.area_id).where(Lane.lot_id == lot_id))
    )
    cameras = await session.scalars(select(Device).where(Device.lot_id == lot_id, Device.kind == DeviceKind.CAMERA))
    passes = select(Pass, PassProduct, Vehicle, VehicleGroup).join(PassProduct, PassProduct.id == Pass.product_id)
    passes = passes.outerjoin(VehicleGroup, VehicleGroup.id == Pass.group_id).join(
        Vehicle, (Vehicle.id == Pass.vehicle_id) | (Vehicle.group_id == Pass.group_id)
    )
    passes = passes.where(Pass.lot_id == lot_id)
    listings = select(ListEntry).where(ListEntry.lot_id == lot_id)
    if since is not None:
        passes = passes.where(Pass.updated_at > since)
        listings = listings.where(ListEntry.updated_at > since)
    tariffs = await session.scalars(
        select(TariffVersion).where(TariffVersion.lot_id == lot_id, TariffVersion.area_id.is_(None))
    )
    stays = await session.scalars(
        select(ParkingSession).where(
            ParkingSession.lot_id == lot_id,
            ParkingSession.state == SessionState.IN_LOT,
            ParkingSession.parent_id.is_(None),
        )
    )
    return {
        "server_time": now.isoformat(),
        "full": since is None,
        "lot": {
            "id": lot.id,
            "timezone": lot.timezone,
            "capacity": lot.capacity,
            "occupied": lot.occupied,
            "grace_minutes": lot.prepay_grace_minutes,
            "duplicate_entry_policy": lot.duplicate_entry_policy.value,
            "payment_settings": lot.payment_settings or {},
            "customer_id": lot.customer_id,
        },
        "lanes": [
            {
                "id": lane.id,
                "direction": lane.direction.value,
                "mode": lane.mode.value,
                "allowed_categories": list(lane.allowed_categories or ()),
                "is_inner": bool(area is not None and area.is_inner),
            }
            for lane, area in lanes
        ],
        "cameras": [
            {"serial": c.serial, "lane_id": c.lane_id, "protocol": c.protocol, "secret_hash": c.secret_hash}
            for c in cameras
            if c.lane_id is not None
        ],
        "passes": [
            {
                "id": p.id,
                "plate": vehicle.plate,
                "vehicle_class": vehicle.vehicle_class.value,
                "category": product.category.value,
                "starts_at": _iso(p.starts_at),
                "ends_at": _iso(p.ends_at),
                "active": p.status is PassStatus.ACTIVE,
                "window": [_time(product.window_start), _time(product.window_end)],
                "group_id": p.group_id,
                "group_spaces": group.spaces if group is not None else None,
            }
            for p, product, vehicle, group in await session.execute(passes)
        ],
        "listings": [
            {
                "id": e.id,
                "plate": e.plate,
                "category": e.category.value,
                "valid_from": _iso(e.valid_from),
                "valid_until": _iso(e.valid_until),
                "window": [_time(e.window_start), _time(e.window_end)],
                "reason": e.reason,
            }
            for e in await session.scalars(listings)
        ],
        "tariffs": [
            {"vehicle_class": t.vehicle_class.value, "version": t.version, "document": t.document} for t in tariffs
        ],
        "stays": [
            {
                "id": s.id,
                "plate": s.plate,
                "driver_key": s.driver_key,
                "entry_at": s.entry_at.isoformat(),
                "category": s.category.value,
                "vehicle_class": s.vehicle_class.value,
                "plate_color": s.plate_color.value,
                "paid_fen": s.paid_fen,
                "discount_fen": s.discount_fen,
                "last_paid_at": _iso(s.last_paid_at),
                "group_id": s.group_id,
                "group_overflow": s.group_overflow,
                "covered_from": _iso(s.covered_from),
            }
            for s in stays
        ],
    }


@dataclass(frozen=True, slots=True)
class Replayed:
    key: str
    event_id: int
    duplicate: bool
    session_id: int | None


async def replay(db: Database, lot_id: int, records: list[dict[str, Any]], now: datetime) -> list[Replayed]:
    """Take the edge's offline records in the order they happened; each is acknowledged with what the cloud made
    of it. Every record is checked before any is taken, so a bad one refuses the batch and changes nothing.

    Records may come in any order and more than once: a batch is sorted by event time (stable, so two records of
    the same instant keep the edge's order), duplicates are answered from their dedup key, and an exit replayed in
    an earlier batch than its entry waits for it as an orphan (parking.lanes.late_pairs).
    """
    lane_ids = await _lane_ids(db, lot_id)
    readings = sorted((_reading(record, lane_ids, lot_id) for record in records), key=lambda r: r.at)
    acks: list[Replayed] = []
    for reading in readings:
        outcome = await handle_reading(db, reading, now)
        acks.append(Replayed(reading.dedup_key, outcome.event_id, outcome.duplicate, outcome.session_id))
    return acks


def _reading(record: dict[str, Any], lane_ids: set[int], lot_id: int) -> LaneInput:
    lane_id = int(record["lane_id"])
    if lane_id not in lane_ids:
        raise ValueError(f"lane {lane_id} is not in lot {lot_id}")
    at = datetime.fromisoformat(record["at"])
    if at.utcoffset() is None:
        raise ValueError(f"at: {record['at']!r} needs a time zone")
    key = str(record["key"])
    if not key or len(key) > 128:
        raise ValueError("key: 1 to 128 characters")
    return LaneInput(
        lane_id=lane_id,
        plate=str(record["plate"])[:16],
        color=PlateColor(record.get("color", "blue")),
        confidence=float(record.get("confidence", 1.0)),
        at=at,
        dedup_key=key,
        source=ReadingSource.EDGE,
        is_offline=True,
        driver_key=record.get("driver_key"),
    )


async def _lane_ids(db: Database, lot_id: int) -> set[int]:
    from parking.common.scope import Scope

    async with db.session(Scope.internal()) as s:
        return set(await s.scalars(select(Lane.id).where(Lane.lot_id == lot_id)))
