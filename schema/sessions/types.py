"""Session object types: stays and lane events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

import strawberry

from parking.merchants.models import Coupon, CouponKind, CouponStatus
from parking.merchants.texts import coupon_label
from parking.plates import PlateColor
from parking.recognition.models import PlateRecognition
from parking.sessions.enums import (
    EventKind,
    ReadingSource,
    ReleaseMethod,
    SessionState,
)
from parking.sessions.models import LaneEvent
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import Lane, Lot
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen
from schema.tenancy.types import LaneType, LotType


@strawberry.type(
    name="AppliedCoupon", description="A merchant coupon on a bill: a line of its own, with what it took off (fen)."
)
class AppliedCouponType:
    coupon_id: strawberry.ID
    kind: CouponKind
    label: str
    discount_fen: Fen


def applied_coupons(details: Mapping[str, Any] | None) -> list[AppliedCouponType]:
    """The coupon lines a payment order's amount assumes (``details["coupons"]``, see parking/payments/service)."""
    raw = (details or {}).get("coupons")
    return [
        AppliedCouponType(
            coupon_id=strawberry.ID(str(line["id"])),
            kind=CouponKind(line["kind"]),
            label=str(line["label"]),
            discount_fen=Fen(int(line["fen"])),
        )
        for line in (raw if isinstance(raw, list) else [])
        if isinstance(line, dict)
    ]


async def _stay_coupons(root: Any, info: Info) -> list[AppliedCouponType]:
    rows: list[Coupon] = await info.context.loaders.children(Coupon, "session_id").load(int(root.id))
    return [
        AppliedCouponType(
            coupon_id=strawberry.ID(str(c.id)),
            kind=c.kind,
            label=coupon_label(c.kind, c.value),
            discount_fen=Fen(c.discount_fen),
        )
        for c in rows
        if c.status is CouponStatus.REDEEMED
    ]


async def _stay_coupon_fen(root: Any, info: Info) -> Fen:
    return Fen(sum(int(c.discount_fen) for c in await _stay_coupons(root, info)))


async def _stay_events(root: Any, info: Info) -> list[LaneEvent]:
    return cast(list[LaneEvent], await info.context.loaders.children(LaneEvent, "session_id", "at").load(int(root.id)))


def _first_picture(events: list[LaneEvent], kinds: set[EventKind]) -> LaneEvent | None:
    return next((e for e in events if e.kind in kinds and e.image_ref), None)


async def _entry_image_ref(root: Any, info: Info) -> str:
    event = _first_picture(await _stay_events(root, info), {EventKind.ENTRY, EventKind.INNER_ENTRY})
    return event.image_ref if event else ""


async def _exit_image_ref(root: Any, info: Info) -> str:
    # The last exit reading: a car held at the barrier and read again leaves on the later picture.
    event = _first_picture(list(reversed(await _stay_events(root, info))), {EventKind.EXIT, EventKind.INNER_EXIT})
    return event.image_ref if event else ""


async def _plate_crop_ref(root: Any, info: Info) -> str:
    # The crop recognition cut from the entry picture, else from any of the stay's pictures.
    rows: list[PlateRecognition] = await info.context.loaders.children(PlateRecognition, "session_id").load(
        int(root.id)
    )
    entry = _first_picture(await _stay_events(root, info), {EventKind.ENTRY, EventKind.INNER_ENTRY})
    crops = [r for r in rows if r.crop_ref]
    first = next((r for r in crops if entry is not None and r.lane_event_id == entry.id), None)
    chosen = first or (crops[0] if crops else None)
    return chosen.crop_ref if chosen else ""


async def _lane(info: Info, lane_id: int | None) -> LaneType | None:
    if lane_id is None:
        return None
    return cast(LaneType | None, await info.context.loaders.by_id(Lane).load(lane_id))


@strawberry.type(name="ParkingSession", description="One stay of one vehicle in one lot.")
class ParkingSessionType:
    id: strawberry.ID
    lot_id: strawberry.ID
    area_id: strawberry.ID | None
    parent_id: strawberry.ID | None
    plate: str
    plate_color: PlateColor
    vehicle_class: VehicleClass
    category: VehicleCategory
    state: SessionState
    entry_at: datetime
    exit_at: datetime | None
    entry_lane_id: strawberry.ID | None
    exit_lane_id: strawberry.ID | None
    fee_due_fen: Fen
    paid_fen: Fen
    discount_fen: Fen
    arrears_fen: Fen
    coupons: list[AppliedCouponType] = strawberry.field(
        resolver=_stay_coupons, description="The merchant coupons the settled stay used (redeemed), one line each."
    )
    coupon_fen: Fen = strawberry.field(resolver=_stay_coupon_fen, description="What those coupons took off.")
    release_method: ReleaseMethod | None
    release_reason: str
    note: str
    entry_image_ref: str = strawberry.field(
        resolver=_entry_image_ref, description="The entry picture (GET /api/images/{ref}); empty when none."
    )
    exit_image_ref: str = strawberry.field(
        resolver=_exit_image_ref, description="The last exit picture; empty while inside or when none."
    )
    plate_crop_ref: str = strawberry.field(
        resolver=_plate_crop_ref, description="The plate cut from the entry picture by recognition; empty when none."
    )

    @strawberry.field(description="The lot of the stay.")
    async def lot(self, info: Info) -> LotType | None:
        return cast(LotType | None, await info.context.loaders.by_id(Lot).load(int(self.lot_id)))

    @strawberry.field(description="The lane the car entered by.")
    async def entry_lane(self, info: Info) -> LaneType | None:
        return await _lane(info, None if self.entry_lane_id is None else int(self.entry_lane_id))

    @strawberry.field(description="The lane the car left by.")
    async def exit_lane(self, info: Info) -> LaneType | None:
        return await _lane(info, None if self.exit_lane_id is None else int(self.exit_lane_id))


@strawberry.type(name="LaneEvent", description="A reading at a lane and the decision taken.")
class LaneEventType:
    id: strawberry.ID
    lot_id: strawberry.ID
    lane_id: strawberry.ID
    session_id: strawberry.ID | None
    kind: EventKind
    at: datetime
    received_at: datetime
    plate: str
    plate_color: PlateColor
    confidence: float
    source: ReadingSource
    image_ref: str
    is_offline: bool
    opened: bool
    decision_reason: str

    @strawberry.field(description="The lane the reading was taken at.")
    async def lane(self, info: Info) -> LaneType | None:
        return await _lane(info, int(self.lane_id))
