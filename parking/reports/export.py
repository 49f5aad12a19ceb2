"""The reports as sheets for download: CSV (UTF-8 with a BOM, so Excel reads the Chinese headers) and XLSX.

A sheet is a title, zh-CN headers from the reports catalogue and rows of plain cells; money goes out in yuan
(``Decimal`` with two places, so a sum in the spreadsheet stays exact), labels (channels, vehicle classes, fee
kinds) in zh-CN.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import xlsxwriter

from parking.reports.reports import ChannelRow, DailyBy, DailyRow, Figures, FlowBy, FlowRow, HourRow, KindRow
from parking.reports.texts import CHANNELS, KINDS, VEHICLE_CLASSES, ReportText, label, text

Cell = str | int | float | Decimal | date | None


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


_MONEY = (
    ReportText.PAID,
    ReportText.REFUNDED,
    ReportText.NET,
    ReportText.DISCOUNT,
    ReportText.COUPON,
    ReportText.WAIVED,
)


def _money(f: Figures) -> list[Cell]:
    return [
        yuan(f.paid_fen),
        yuan(f.refunded_fen),
        yuan(f.net_fen),
        yuan(f.discount_fen),
        yuan(f.coupon_fen),
        yuan(f.waived_fen),
    ]


def _headers(*keys: ReportText) -> list[str]:
    return [text(k) for k in keys]


_FLOW_KEYS = {
    FlowBy.LOT: (ReportText.LOT,),
    FlowBy.LANE: (ReportText.LOT, ReportText.LANE),
    FlowBy.VEHICLE_CLASS: (ReportText.VEHICLE_CLASS,),
    FlowBy.DAY: (ReportText.DAY,),
    FlowBy.AREA: (ReportText.LOT, ReportText.AREA),
    FlowBy.REGION: (ReportText.REGION,),
}
# The groupings whose spaces may be known, with a turnover column.
_FLOW_TURNOVER = frozenset({FlowBy.LOT, FlowBy.AREA, FlowBy.REGION})


def flow_sheet(rows: Sequence[FlowRow], by: FlowBy) -> Sheet:
    flow = (ReportText.ENTRIES, ReportText.EXITS, ReportText.STAY_MINUTES, ReportText.AVERAGE_STAY_MINUTES)
    turnover = (ReportText.TURNOVER,) if by in _FLOW_TURNOVER else ()
    keys = (*_FLOW_KEYS[by], *flow, *turnover)

    def lead(r: FlowRow) -> list[Cell]:
        if by is FlowBy.LOT:
            return [r.lot_name]
        if by is FlowBy.LANE:
            return [r.lot_name, r.lane_name or text(ReportText.NO_LANE)]
        if by is FlowBy.VEHICLE_CLASS:
            return [label(VEHICLE_CLASSES, r.vehicle_class)]
        if by is FlowBy.AREA:
            return [r.lot_name, r.area_name if r.area_id is not None else text(ReportText.OUTER_ZONE)]
        if by is FlowBy.REGION:
            return [r.region or text(ReportText.NO_REGION)]
        return [r.day]

    body: list[list[Cell]] = [
        [
            *lead(r),
            r.figures.entries,
            r.figures.exits,
            r.figures.stay_minutes,
            r.figures.average_stay_minutes,
            *([r.turnover] if turnover else []),
        ]
        for r in rows
    ]
    return Sheet(text(ReportText.SHEET_FLOW), _headers(*keys), body)


def peak_hours_sheet(rows: Sequence[HourRow]) -> Sheet:
    body: list[list[Cell]] = [[f"{r.hour:02d}:00", r.entries, r.exits] for r in sorted(rows, key=lambda r: r.hour)]
    return Sheet(
        text(ReportText.SHEET_PEAK_HOURS), _headers(ReportText.HOUR, ReportText.ENTRIES, ReportText.EXITS), body
    )


def channels_sheet(rows: Sequence[ChannelRow]) -> Sheet:
    body: list[list[Cell]] = [
        [
            label(CHANNELS, r.channel),
            r.figures.payments,
            yuan(r.figures.paid_fen),
            r.figures.refunds,
            yuan(r.figures.refunded_fen),
            yuan(r.figures.net_fen),
        ]
        for r in rows
    ]
    keys = (
        ReportText.CHANNEL,
        ReportText.PAYMENTS,
        ReportText.PAID,
        ReportText.REFUNDS,
        ReportText.REFUNDED,
        ReportText.NET,
    )
    return Sheet(text(ReportText.SHEET_CHANNELS), _headers(*keys), body)


def kinds_sheet(rows: Sequence[KindRow]) -> Sheet:
    body: list[list[Cell]] = [
        [label(KINDS, r.kind.value), r.figures.entries, r.figures.exits, r.figures.payments, *_money(r.figures)]
        for r in rows
    ]
    keys = (ReportText.KIND, ReportText.ENTRIES, ReportText.EXITS, ReportText.PAYMENTS, *_MONEY)
    return Sheet(text(ReportText.SHEET_KINDS), _headers(*keys), body)


_DAILY_KEYS = {
    DailyBy.LOT: (ReportText.LOT,),
    DailyBy.LANE: (ReportText.LOT, ReportText.LANE),
    DailyBy.REGION: (ReportText.REGION,),
    DailyBy.BOOTH: (ReportText.LOT, ReportText.BOOTH),
}


def _daily_lead(r: DailyRow, by: DailyBy) -> list[Cell]:
    if by is DailyBy.REGION:
        return [r.region or text(ReportText.NO_REGION)]
    if by is DailyBy.LANE:
        return [r.lot_name, r.lane_name or text(ReportText.NO_LANE)]
    if by is DailyBy.BOOTH:
        return [r.lot_name, r.booth or text(ReportText.NO_LANE)]
    return [r.lot_name]


def daily_sheet(rows: Sequence[DailyRow], by: DailyBy) -> Sheet:
    keys = (ReportText.DAY, *_DAILY_KEYS[by], ReportText.ENTRIES, ReportText.EXITS, ReportText.PAYMENTS, *_MONEY)
    body: list[list[Cell]] = [
        [
            r.day,
            *_daily_lead(r, by),
            r.figures.entries,
            r.figures.exits,
            r.figures.payments,
            *_money(r.figures),
        ]
        for r in rows
    ]
    return Sheet(text(ReportText.SHEET_DAILY), _headers(*keys), body)


def _plain(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, date) else str(cell)


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows([_plain(c) for c in row] for row in sheet.rows)
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(sheet: Sheet) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    page = book.add_worksheet(sheet.title[:31])  # Excel's limit on a sheet name
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "0.00"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    page.write_row(0, 0, sheet.headers, bold)
    for r, row in enumerate(sheet.rows, start=1):
        for c, cell in enumerate(row):
            if isinstance(cell, Decimal):
                page.write_number(r, c, float(cell), money)
            elif isinstance(cell, date):
                page.write_datetime(r, c, cell, day)
            elif cell is None:
                page.write_blank(r, c, None)
            else:
                page.write(r, c, cell)
    page.set_column(0, max(len(sheet.headers) - 1, 0), 16)
    book.close()
    return out.getvalue()


def render(sheet: Sheet, fmt: Format) -> bytes:
    return to_csv(sheet) if fmt is Format.CSV else to_xlsx(sheet)
