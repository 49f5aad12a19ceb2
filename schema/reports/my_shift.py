"""A booth cashier's own shift page (交接班): ``myOpenShift`` and ``shiftPlaces``, both needing only
``cash.collect`` (the ``shifts`` report needs ``finance.view``, which a cashier seldom holds)."""

from __future__ import annotations

from datetime import UTC, datetime

import strawberry

from parking.accounts.permissions import Perm
from parking.reports import my_shift, shifts
from schema.core.context import Info
from schema.core.permissions import describe, requires
from schema.reports.shifts import ShiftRow


@strawberry.type(description="A lane a shift may be opened at (a booth).")
class ShiftLane:
    id: strawberry.ID
    name: str


@strawberry.type(description="A lot a cashier may open a shift on, with its active lanes.")
class ShiftPlace:
    lot_id: strawberry.ID
    lot_name: str
    lanes: list[ShiftLane]

    @classmethod
    def of(cls, place: my_shift.LotPlace) -> ShiftPlace:
        return cls(
            lot_id=strawberry.ID(str(place.lot_id)),
            lot_name=place.name,
            lanes=[ShiftLane(id=strawberry.ID(str(lane.lane_id)), name=lane.name) for lane in place.lanes],
        )


@strawberry.type
class MyShiftQuery:
    @strawberry.field(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "The signed-in operator's open shift (交接班), read up to now (cash recorded so far); null when none.",
            Perm.CASH_COLLECT,
        ),
    )
    async def my_open_shift(self, info: Info) -> ShiftRow | None:
        actor = info.context.actor
        if actor is None or actor.operator_id is None:
            return None
        session = info.context.session
        shift = await my_shift.open_shift_of(session, actor.operator_id)
        if shift is None:
            return None
        [row] = await shifts.shift_rows_of(session, [shift], datetime.now(UTC))
        return ShiftRow.of(row)

    @strawberry.field(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "The lots (first 100 by name) and their lanes where the signed-in operator may open a shift.",
            Perm.CASH_COLLECT,
        ),
    )
    async def shift_places(self, info: Info) -> list[ShiftPlace]:
        return [ShiftPlace.of(place) for place in await my_shift.shift_places(info.context.session)]
