"""The mini-program driver's mutations: bind and unbind a plate (driver token; no operator permission)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.driver_views.proof import proven_plates
from parking.drivers.models import DriverPlate
from parking.drivers.plates import bind_plate, unbind_plate
from schema.core.context import Info
from schema.core.errors import error_from
from schema.drivers import types as t


@strawberry.input
class PlateBindInput:
    plate: str


async def _run(info: Info, use_case: Callable[[AsyncSession], Awaitable[DriverPlate]]) -> t.PlateBindResult:
    """Commit on success; a refusal rolls back, so nothing is written."""
    try:
        async with info.context.db.transaction(Scope.internal()) as session:
            row = await use_case(session)
            plate, bound_at, openid = row.plate, row.bound_at, row.openid
            proven = plate in await proven_plates(session, openid, [plate])
    except DomainError as err:
        return error_from(err, t.DriverError)
    return t.DriverPlate(plate=plate, bound_at=bound_at, proven=proven)


@strawberry.type
class DriversMutation:
    @strawberry.mutation(
        description="Bind a plate to the signed-in driver (driver token). Refusals, nothing changed: "
        "UNAUTHENTICATED, INVALID_PLATE, PLATE_LIMIT (5 per account), PLATE_BOUND_ELSEWHERE (another account "
        "holds it). Binding a plate the account already holds answers it again."
    )
    async def plate_bind(self, info: Info, input: PlateBindInput) -> t.PlateBindResult:
        openid, now = info.context.driver_openid, utcnow()
        return await _run(info, lambda s: bind_plate(s, openid, input.plate, now))

    @strawberry.mutation(
        description="Unbind a plate of the signed-in driver; NOT_FOUND when the account does not hold it."
    )
    async def plate_unbind(self, info: Info, input: PlateBindInput) -> t.PlateBindResult:
        openid = info.context.driver_openid
        return await _run(info, lambda s: unbind_plate(s, openid, input.plate))
