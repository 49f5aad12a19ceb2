"""Result rows of the overview aggregates."""

from __future__ import annotations

from datetime import date

import strawberry

from parking.accounts.permissions import Perm
from parking.alarms.models import AlarmKind
from parking.common.db import utcnow
from parking.overview.service import Bucket, in_force
from parking.payments.models import PaymentChannel
from parking.tariffs.models import TariffVersion
from schema.core.context import Info
from schema.core.money import Fen
from schema.core.permissions import describe, requires
from schema.tariffs.types import TariffVersionType

TrafficBucket = strawberry.enum(Bucket, name="TrafficBucket")


@strawberry.type(description="Paid orders of one local day (the lot's time zone) and channel.")
class RevenuePoint:
    day: date
    channel: PaymentChannel
    paid_fen: Fen = strawberry.field(description="Sum of the paid orders' amounts, in fen.")
    refunded_fen: Fen = strawberry.field(description="Refunded so far of those orders, in fen.")
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

    @strawberry.field(
        extensions=requires(Perm.TARIFFS_VIEW),
        description=describe("The lot-wide tariff in force now, one per vehicle class.", Perm.TARIFFS_VIEW),
    )
    async def tariffs(self, info: Info) -> list[TariffVersionType]:
        versions = await info.context.loaders.children(TariffVersion, "lot_id", "effective_from").load(int(self.lot_id))
        return [TariffVersionType.of(v) for v in in_force(versions, utcnow())]


@strawberry.type(description="Unresolved alarms of one kind.")
class AlarmKindCount:
    kind: AlarmKind
    open: int
    acknowledged: int
