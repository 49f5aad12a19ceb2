"""Result rows of the overview aggregates."""

from __future__ import annotations

from datetime import date

import strawberry

from parking.alarms.models import AlarmKind
from parking.overview.service import Bucket
from parking.payments.models import PaymentChannel

TrafficBucket = strawberry.enum(Bucket, name="TrafficBucket")


@strawberry.type(description="Paid orders of one local day (the lot's time zone) and channel.")
class RevenuePoint:
    day: date
    channel: PaymentChannel
    paid_fen: int = strawberry.field(description="Sum of the paid orders' amounts, in fen.")
    refunded_fen: int = strawberry.field(description="Refunded so far of those orders, in fen.")
    orders: int


@strawberry.type(description="Stays that started (entries) and ended (exits) in one local day or hour.")
class TrafficPoint:
    day: date
    hour: int | None = strawberry.field(description="0-23 when bucketed by hour; null by day.")
    entries: int
    exits: int


@strawberry.type(description="A lot's capacity and the cars inside now.")
class LotOccupancy:
    lot_id: strawberry.ID
    name: str
    capacity: int
    occupied: int
    latitude: float | None
    longitude: float | None

    @strawberry.field(description="Free spaces now (never below zero).")
    def free_spaces(self) -> int:
        return max(self.capacity - self.occupied, 0)


@strawberry.type(description="Unresolved alarms of one kind.")
class AlarmKindCount:
    kind: AlarmKind
    open: int
    acknowledged: int
