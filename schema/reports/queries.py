"""Report queries: thin resolvers over parking.reports, in the caller's scope (traffic needs records.view,
money finance.view, like the overview)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry

from parking.accounts.permissions import Perm
from parking.overview.service import DateRange
from parking.payments.models import PaymentChannel
from parking.reports import reports
from schema.core.context import Info
from schema.core.listing import ids
from schema.core.permissions import describe, requires
from schema.reports.types import (
    ChannelFeeRow,
    DailyByEnum,
    DailyReportRow,
    FeeKindEnum,
    FlowByEnum,
    FlowReportRow,
    KindFeeRow,
    PeakHourRow,
    ReportFigures,
)

_RANGE = (
    " Days are local to each lot's time zone; `from` and `to` are inclusive, at most 92 days. Past days come from"
    " the daily rollup, today is counted live."
)
From = Annotated[date, strawberry.argument(name="from")]


def _query(from_: date, to: date, lot_ids: list[strawberry.ID] | None) -> reports.Query:
    return reports.Query(DateRange(from_, to), datetime.now(UTC), ids(lot_ids))


@strawberry.type
class ReportsQuery:
    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW),
        description=describe(
            "Flow statistics: entries, exits, average stay and (by lot, area, region) turnover, by lot, lane, "
            "vehicle class, day, area (分区) or region (区域)." + _RANGE,
            Perm.RECORDS_VIEW,
        ),
    )
    async def flow_report(
        self,
        info: Info,
        from_: From,
        to: date,
        by: FlowByEnum = reports.FlowBy.LOT,  # type: ignore[valid-type]
        lot_ids: list[strawberry.ID] | None = None,
    ) -> list[FlowReportRow]:
        ctx = info.context
        rows = await reports.flow(ctx.db, ctx.session, _query(from_, to, lot_ids), reports.FlowBy(by))
        return [FlowReportRow.of(r) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW),
        description=describe("Entries and exits per hour of the day, busiest hour first." + _RANGE, Perm.RECORDS_VIEW),
    )
    async def peak_hours_report(
        self, info: Info, from_: From, to: date, lot_ids: list[strawberry.ID] | None = None
    ) -> list[PeakHourRow]:
        ctx = info.context
        rows = await reports.peak_hours(ctx.db, ctx.session, _query(from_, to, lot_ids))
        return [PeakHourRow(hour=r.hour, entries=r.entries, exits=r.exits) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe("Fee statistics by payment channel." + _RANGE, Perm.FINANCE_VIEW),
    )
    async def channel_fee_report(
        self, info: Info, from_: From, to: date, lot_ids: list[strawberry.ID] | None = None
    ) -> list[ChannelFeeRow]:
        ctx = info.context
        rows = await reports.fees_by_channel(ctx.db, ctx.session, _query(from_, to, lot_ids))
        return [ChannelFeeRow(channel=PaymentChannel(r.channel), figures=ReportFigures.of(r.figures)) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "Fee analysis: temporary vs long-term vehicles (and coupon packs)." + _RANGE, Perm.FINANCE_VIEW
        ),
    )
    async def fee_kind_report(
        self, info: Info, from_: From, to: date, lot_ids: list[strawberry.ID] | None = None
    ) -> list[KindFeeRow]:
        ctx = info.context
        rows = await reports.fees_by_kind(ctx.db, ctx.session, _query(from_, to, lot_ids))
        return [KindFeeRow(kind=r.kind, figures=ReportFigures.of(r.figures)) for r in rows]

    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "Daily report of each lot, lane, booth or region (`by`; `byLane: true` is the older spelling of "
            "`by: LANE` and is read only when `by` is absent)." + _RANGE,
            Perm.FINANCE_VIEW,
        ),
    )
    async def daily_report(
        self,
        info: Info,
        from_: From,
        to: date,
        by_lane: bool = False,
        lot_ids: list[strawberry.ID] | None = None,
        by: DailyByEnum | None = None,  # type: ignore[valid-type]
    ) -> list[DailyReportRow]:
        ctx = info.context
        grouping = reports.DailyBy(by) if by is not None else reports.DailyBy.LANE if by_lane else reports.DailyBy.LOT
        rows = await reports.daily(ctx.db, ctx.session, _query(from_, to, lot_ids), grouping)
        return [DailyReportRow.of(r) for r in rows]


__all__ = ["FeeKindEnum", "ReportsQuery"]
