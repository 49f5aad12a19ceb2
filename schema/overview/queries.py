"""Overview queries: thin resolvers over parking.overview, in the caller's scope."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from parking.accounts.permissions import Perm
from parking.overview import service
from parking.overview.service import Bucket, DateRange
from schema.core.context import Info
from schema.core.listing import ids
from schema.core.money import Fen
from schema.core.permissions import describe, requires
from schema.overview.types import AlarmKindCount, LotOccupancy, RevenuePoint, TrafficPoint

_RANGE = " Days are local to each lot's time zone; `from` and `to` are inclusive, at most 92 days."


@strawberry.type
class OverviewQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe("Revenue per day and payment channel." + _RANGE, Perm.FINANCE_VIEW),
    )
    async def revenue_by_day(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        lot_ids: list[strawberry.ID] | None = None,
    ) -> list[RevenuePoint]:
        rows = await service.revenue(info.context.session, DateRange(from_, to), ids(lot_ids))
        return [
            RevenuePoint(
                day=r.day,
                channel=r.channel,
                paid_fen=Fen(r.paid_fen),
                refunded_fen=Fen(r.refunded_fen),
                orders=r.orders,
            )
            for r in rows
        ]

    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW),
        description=describe("Entries and exits per day or hour." + _RANGE, Perm.RECORDS_VIEW),
    )
    async def traffic(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        bucket: Bucket = Bucket.DAY,
        lot_ids: list[strawberry.ID] | None = None,
    ) -> list[TrafficPoint]:
        rows = await service.traffic(info.context.session, DateRange(from_, to), bucket, ids(lot_ids))
        return [TrafficPoint(day=r.day, hour=r.hour, entries=r.entries, exits=r.exits) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.LOTS_VIEW),
        description=describe("Capacity, cars inside and free spaces of each active lot now.", Perm.LOTS_VIEW),
    )
    async def occupancy(self, info: Info, lot_ids: list[strawberry.ID] | None = None) -> list[LotOccupancy]:
        rows = await service.occupancy(info.context.session, ids(lot_ids))
        return [
            LotOccupancy(
                lot_id=strawberry.ID(str(r.lot_id)),
                name=r.name,
                capacity=r.capacity,
                occupied=r.occupied,
                latitude=r.latitude,
                longitude=r.longitude,
            )
            for r in rows
        ]

    @strawberry.field(
        extensions=requires(Perm.ALARMS_VIEW),
        description=describe("Unresolved alarms per kind.", Perm.ALARMS_VIEW),
    )
    async def open_alarms_by_kind(self, info: Info, lot_ids: list[strawberry.ID] | None = None) -> list[AlarmKindCount]:
        rows = await service.open_alarms(info.context.session, ids(lot_ids))
        return [AlarmKindCount(kind=r.kind, open=r.open, acknowledged=r.acknowledged) for r in rows]
