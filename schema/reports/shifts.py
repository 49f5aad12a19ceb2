"""The cashiers' shift handover (交接班): ``shiftOpen`` / ``shiftClose`` (``ShiftSuccess | ShiftError``) and the
``shifts`` report, a keyset page of at most 100."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.common.crud import parse_id
from parking.overview.service import DateRange
from parking.reports import shifts
from parking.reports.errors import ReportErrorCode
from parking.reports.shift_models import CashierShift
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.listing import ids
from schema.core.money import Fen
from schema.core.mutations import run
from schema.core.pagination import Connection, PageRequest, SortDirection, paginate
from schema.core.permissions import describe, requires
from schema.reports.details import DETAIL_RANGE
from schema.reports.queries import From
from schema.reports.types import optional_id

error_codes(ReportErrorCode, "a shift")


@strawberry.type
class ShiftError(Error):
    code: ReportErrorCode
    message: str
    field: str | None = None


@strawberry.type(
    description="A cashier's shift (交接班): the cash the system recorded as theirs on the lot in its window "
    "(cash and booth payments they took, less the cash refunds they asked for that completed in it), what they "
    "counted, and the cars they let out free or by hand."
)
class ShiftRow:
    id: strawberry.ID
    lot_id: strawberry.ID
    lot_name: str
    lane_id: strawberry.ID | None
    lane_name: str
    operator_id: strawberry.ID
    operator_name: str
    opened_at: datetime
    closed_at: datetime | None = strawberry.field(description="Null while the shift is open (read up to now).")
    cash_recorded_fen: Fen = strawberry.field(description="Cash taken less cash refunded: what the drawer holds.")
    cash_payments: int
    cash_refunded_fen: Fen = strawberry.field(description="Cash handed back: refunds they asked for, done in it.")
    cash_refunds: int
    counted_cash_fen: Fen | None = strawberry.field(description="Declared when closing; null while open.")
    difference_fen: Fen | None = strawberry.field(description="countedCashFen - cashRecordedFen: negative is short.")
    free_releases: int
    software_releases: int
    note: str

    @classmethod
    def of(cls, r: shifts.ShiftRow) -> ShiftRow:
        return cls(
            id=strawberry.ID(str(r.shift_id)),
            lot_id=strawberry.ID(str(r.lot_id)),
            lot_name=r.lot_name,
            lane_id=optional_id(r.lane_id),
            lane_name=r.lane_name,
            operator_id=strawberry.ID(str(r.operator_id)),
            operator_name=r.operator_name,
            opened_at=r.opened_at,
            closed_at=r.closed_at,
            cash_recorded_fen=Fen(r.cash_recorded_fen),
            cash_payments=r.cash_payments,
            cash_refunded_fen=Fen(r.cash_refunded_fen),
            cash_refunds=r.cash_refunds,
            counted_cash_fen=None if r.counted_cash_fen is None else Fen(r.counted_cash_fen),
            difference_fen=None if r.difference_fen is None else Fen(r.difference_fen),
            free_releases=r.free_releases,
            software_releases=r.software_releases,
            note=r.note,
        )


@strawberry.type
class ShiftSuccess:
    shift: ShiftRow


ShiftResult = Annotated[ShiftSuccess | ShiftError, strawberry.union("ShiftResult")]


def _success(row: shifts.ShiftRow) -> ShiftSuccess:
    return ShiftSuccess(shift=ShiftRow.of(row))


async def _row(session: AsyncSession, shift: CashierShift, now: datetime) -> shifts.ShiftRow:
    return (await shifts.shift_rows_of(session, [shift], now))[0]


@strawberry.type
class ShiftsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "Open the acting cashier's shift on a lot, optionally at a lane (booth); CONFLICT while they have an"
            " open one.",
            Perm.CASH_COLLECT,
        ),
    )
    async def shift_open(self, info: Info, lot_id: strawberry.ID, lane_id: strawberry.ID | None = None) -> ShiftResult:
        now = datetime.now(UTC)

        async def use_case(session: AsyncSession, actor: Actor) -> shifts.ShiftRow:
            lot, lane = parse_id(lot_id, "lotId"), None if lane_id is None else parse_id(lane_id, "laneId")
            return await _row(session, await shifts.open_shift(session, actor, lot, lane, now), now)

        return await run(info, use_case, ShiftError, _success)

    @strawberry.mutation(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "Close a shift declaring the cash counted (fen); closing another operator's shift also needs"
            " operators.manage (PERMISSION_DENIED otherwise), a closed one is a CONFLICT.",
            Perm.CASH_COLLECT,
        ),
    )
    async def shift_close(self, info: Info, id: strawberry.ID, counted_cash_fen: Fen, note: str = "") -> ShiftResult:
        now = datetime.now(UTC)

        async def use_case(session: AsyncSession, actor: Actor) -> shifts.ShiftRow:
            shift = await shifts.close_shift(session, actor, parse_id(id), int(counted_cash_fen), note, now)
            return await _row(session, shift, now)

        return await run(info, use_case, ShiftError, _success)


@strawberry.type
class ShiftsQuery:
    @strawberry.field(
        extensions=requires(Perm.FINANCE_VIEW),
        description=describe(
            "The shift handover report (交接班): shifts opened in the range, latest first, pages of at most 100;"
            " operatorId for one cashier's." + DETAIL_RANGE,
            Perm.FINANCE_VIEW,
        ),
    )
    async def shifts(
        self,
        info: Info,
        from_: From,
        to: date,
        lot_ids: list[strawberry.ID] | None = None,
        operator_id: strawberry.ID | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ShiftRow]:
        session = info.context.session
        operator = None if operator_id is None else parse_id(operator_id, "operatorId")
        stmt = shifts.shifts_select(DateRange(from_, to), ids(lot_ids), operator)
        page, info_ = await paginate(
            session, stmt, CashierShift.opened_at, CashierShift.id, SortDirection.DESC, PageRequest(first, after)
        )
        rows = await shifts.shift_rows_of(session, page, datetime.now(UTC))
        return Connection(items=[ShiftRow.of(r) for r in rows], page_info=info_)
