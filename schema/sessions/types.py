"""Session object types: stays and lane events."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import strawberry

from parking.merchants.models import Coupon, CouponKind, CouponStatus
from parking.merchants.texts import coupon_label
from parking.plates import PlateColor
from parking.sessions.enums import (
    EventKind,
    ReadingSource,
    ReleaseMethod,
    SessionState,
)
from parking.tenancy.enums import VehicleCategory, VehicleClass
from schema.core import enums as _enums  # noqa: F401  (registers the enums)
from schema.core.context import Info
from schema.core.money import Fen


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
