"""Report rows: figures of traffic and money, money in fen."""

from __future__ import annotations

from datetime import date

import strawberry

from parking.payments.models import PaymentChannel
from parking.reports import reports
from parking.tenancy.enums import VehicleClass
from schema.core.money import Fen

FlowByEnum = strawberry.enum(
    reports.FlowBy,
    name="ReportFlowBy",
    description="LOT: each lot; LANE: each lane; VEHICLE_CLASS: each vehicle class; DAY: each local day; AREA: each "
    "area of a lot (分区: its lanes together; the lanes of no area are the lot's outer zone, 外场); REGION: each "
    "region's lots together (区域).",
)
DailyByEnum = strawberry.enum(
    reports.DailyBy,
    name="ReportDailyBy",
    description="LOT: each lot; LANE: each lane; REGION: each region's lots together (区域); BOOTH: the lanes of "
    "a lot naming the same booth together (岗亭), a lane naming none being its own.",
)
FeeKindEnum = strawberry.enum(
    reports.FeeKind,
    name="ReportFeeKind",
    description="TEMPORARY: parking fees of cars with no standing (临时车); LONG_TERM: passes sold and renewed and "
    "fees of registered cars (固定车); COUPON_PACK: coupon packs merchants bought (商家购券).",
)


_FIGURES = (
    "Traffic and money of a group of rows. Payments and refunds count on the local day they happened; exits "
    "carry their stay's minutes, discount (减免), coupons and waiver (免费放行)."
)


@strawberry.type(description=_FIGURES)
class ReportFigures:
    entries: int
    exits: int
    stay_minutes: int
    average_stay_minutes: int | None = strawberry.field(description="Of the exits; null without exits.")
    payments: int
    paid_fen: Fen
    refunds: int
    refunded_fen: Fen
    net_fen: Fen = strawberry.field(description="paidFen - refundedFen.")
    discount_fen: Fen
    coupon_fen: Fen
    waived_fen: Fen

    @classmethod
    def of(cls, f: reports.Figures) -> ReportFigures:
        return cls(
            entries=f.entries,
            exits=f.exits,
            stay_minutes=f.stay_minutes,
            average_stay_minutes=f.average_stay_minutes,
            payments=f.payments,
            paid_fen=Fen(f.paid_fen),
            refunds=f.refunds,
            refunded_fen=Fen(f.refunded_fen),
            net_fen=Fen(f.net_fen),
            discount_fen=Fen(f.discount_fen),
            coupon_fen=Fen(f.coupon_fen),
            waived_fen=Fen(f.waived_fen),
        )


def optional_id(value: int | None) -> strawberry.ID | None:
    """A nullable row id as a GraphQL ID (the reports' lanes, operators and products may be absent)."""
    return None if value is None else strawberry.ID(str(value))


@strawberry.type(
    description="Flow statistics of one lot, lane, vehicle class, day, area or region (as grouped). By area the "
    "row names its lot and area (`areaId` null: the lot's outer zone); by region it names no lot."
)
class FlowReportRow:
    lot_id: strawberry.ID | None
    lot_name: str
    lane_id: strawberry.ID | None
    lane_name: str
    vehicle_class: VehicleClass | None
    day: date | None
    area_id: strawberry.ID | None = strawberry.field(description="By area: the area; null for the outer zone.")
    area_name: str = strawberry.field(description="By area: the area's name; empty for the outer zone.")
    region: str = strawberry.field(description="By region: the region (empty: the lots with none set).")
    turnover: float | None = strawberry.field(
        description="Entries per space per day of the range: by lot (its spaces), by area (the area's capacity) "
        "and by region (its lots' spaces, when each has them); null where the spaces are not known."
    )
    figures: ReportFigures

    @classmethod
    def of(cls, r: reports.FlowRow) -> FlowReportRow:
        return cls(
            lot_id=optional_id(r.lot_id),
            lot_name=r.lot_name,
            lane_id=optional_id(r.lane_id),
            lane_name=r.lane_name,
            vehicle_class=VehicleClass(r.vehicle_class) if r.vehicle_class else None,
            day=r.day,
            area_id=optional_id(r.area_id),
            area_name=r.area_name,
            region=r.region,
            turnover=r.turnover,
            figures=ReportFigures.of(r.figures),
        )


@strawberry.type(description="Entries and exits in one local hour of the day (0-23) over the range.")
class PeakHourRow:
    hour: int
    entries: int
    exits: int


@strawberry.type(description="Payments and refunds of one channel.")
class ChannelFeeRow:
    channel: PaymentChannel
    figures: ReportFigures


@strawberry.type(description="Money of temporary vehicles, long-term ones, or coupon packs.")
class KindFeeRow:
    kind: FeeKindEnum  # type: ignore[valid-type]
    figures: ReportFigures


@strawberry.type(
    description="One local day of one lot, lane, booth or region (as grouped). By region the row names no lot; "
    "by booth a booth of several lanes names no lane (a lane naming no booth is its own, and keeps its id)."
)
class DailyReportRow:
    day: date
    lot_id: strawberry.ID | None
    lot_name: str
    lane_id: strawberry.ID | None
    lane_name: str
    region: str = strawberry.field(description="The lot's region; by region, the region's (empty: none set).")
    booth: str = strawberry.field(description="By booth: the booth's name (a lane's own name when it names none).")
    figures: ReportFigures

    @classmethod
    def of(cls, r: reports.DailyRow) -> DailyReportRow:
        return cls(
            day=r.day,
            lot_id=optional_id(r.lot_id),
            lot_name=r.lot_name,
            lane_id=optional_id(r.lane_id),
            lane_name=r.lane_name,
            region=r.region,
            booth=r.booth,
            figures=ReportFigures.of(r.figures),
        )
