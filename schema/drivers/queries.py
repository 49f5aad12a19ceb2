"""The mini-program driver's queries: my plates, a plate's open stays (public), its history (proven drivers only),
lots near by (public). Drivers are not operators: these read in the system scope what the rules let them see."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.driver_views.history import history_query
from parking.driver_views.nearby import lots_nearby
from parking.driver_views.proof import proven_plates
from parking.driver_views.stays import plate_stays
from parking.driver_views.templates import subscribe_templates
from parking.drivers.limits import PLATE_LOOKUP_LIMIT_SERVICE
from parking.drivers.plates import my_plates, need_driver
from parking.drivers.texts import DriverText, refuse
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.money import Fen
from schema.core.pagination import PageRequest, SortDirection, paginate
from schema.drivers import types as t


async def _within_limit(info: Info) -> bool:
    limiter = info.context.db.services.get(PLATE_LOOKUP_LIMIT_SERVICE)
    if limiter is None or info.context.actor is not None:
        return True
    return await limiter.allow(info.context.client_ip, utcnow())


async def _history(session: AsyncSession, info: Info, plate: str, first: int, after: str | None) -> Any:
    stmt = await history_query(session, info.context.driver_openid, plate)
    rows, page_info = await paginate(
        session, stmt, ParkingSession.entry_at, ParkingSession.id, SortDirection.DESC, PageRequest(first, after)
    )
    lot_ids = {row.lot_id for row in rows}
    names: dict[int, str] = dict((await session.execute(select(Lot.id, Lot.name).where(Lot.id.in_(lot_ids)))).all())
    items = [
        t.PlateHistoryEntry(
            lot_id=strawberry.ID(str(row.lot_id)),
            lot_name=names.get(row.lot_id, ""),
            entered_at=row.entry_at,
            exited_at=row.exit_at,
            paid_fen=Fen(row.paid_fen),
            in_lot=row.state is SessionState.IN_LOT,
        )
        for row in rows
    ]
    return t.PlateHistorySuccess(items=items, page_info=page_info)


@strawberry.type
class DriversQuery:
    @strawberry.field(description="The signed-in driver's plates (driver token of the mini-program's login).")
    async def my_plates(self, info: Info) -> list[t.DriverPlate]:
        openid = need_driver(info.context.driver_openid)
        async with info.context.db.session(Scope.internal()) as session:
            rows = await my_plates(session, openid)
            proven = await proven_plates(session, openid, [row.plate for row in rows])
        return [t.DriverPlate(plate=row.plate, bound_at=row.bound_at, proven=row.plate in proven) for row in rows]

    @strawberry.field(
        description="A plate's open stays now and what each owes (no login, as at a pay station; the plate is "
        "shown masked). RATE_LIMITED after too many look-ups from one address; INVALID_PLATE for text that is "
        "not a plate."
    )
    async def plate_stays(self, info: Info, plate: str) -> t.PlateStaysResult:
        try:
            if not await _within_limit(info):
                raise refuse(ErrorCode.RATE_LIMITED, DriverText.RATE_LIMITED)
            async with info.context.db.session(Scope.internal()) as session:
                stays = await plate_stays(session, info.context.secret_key, plate, utcnow())
        except DomainError as err:
            return error_from(err, t.DriverError)
        return t.PlateStaysSuccess(
            stays=[
                t.DriverStay(
                    lot_id=strawberry.ID(str(s.lot_id)),
                    lot_name=s.lot_name,
                    entered_at=s.entered_at,
                    owed_fen=Fen(s.owed_fen),
                    grace_ends_at=s.grace_ends_at,
                    stay_token=s.stay_token,
                    masked_plate=s.masked_plate,
                    paid_fen=Fen(s.paid_fen),
                    coupon_fen=Fen(s.coupon_fen),
                )
                for s in stays
            ]
        )

    @strawberry.field(
        description="A plate's stays, newest first (pages of at most 100), for a driver who proved they drive it "
        "(paid a stay of it or its pass with this WeChat account); NOT_PROVEN for anyone else."
    )
    async def plate_history(
        self, info: Info, plate: str, first: int = 20, after: str | None = None
    ) -> t.PlateHistoryResult:
        try:
            async with info.context.db.session(Scope.internal()) as session:
                return await _history(session, info, plate, first, after)
        except DomainError as err:
            return error_from(err, t.DriverError)

    @strawberry.field(
        description="Active lots within radiusKm (at most 50) of a point, nearest first (at most 50 lots), with "
        "free spaces now and the small-car tariff in one line (no login)."
    )
    async def lots_nearby(
        self, info: Info, latitude: float, longitude: float, radius_km: float = 10.0
    ) -> list[t.NearbyLot]:
        async with info.context.db.session(Scope.internal()) as session:
            lots = await lots_nearby(session, latitude, longitude, radius_km, utcnow())
        return [
            t.NearbyLot(
                lot_id=strawberry.ID(str(lot.lot_id)),
                name=lot.name,
                address=lot.address,
                latitude=lot.latitude,
                longitude=lot.longitude,
                distance_m=lot.distance_m,
                free_spaces=lot.free_spaces,
                total_spaces=lot.total_spaces,
                tariff_summary=lot.tariff_summary,
            )
            for lot in lots
        ]

    @strawberry.field(
        description="The WeChat subscribe-message template ids to ask the driver to accept "
        "(wx.requestSubscribeMessage, at most 3): with lotId that lot's payment (停车缴费成功) then entry "
        "(车辆入场通知) template, before paying a stay there; without, the active lots' entry then payment "
        "templates, after binding a plate. Empty when no lot sends notifications; an unknown lot has none (no "
        "login)."
    )
    async def subscribe_templates(self, info: Info, lot_id: strawberry.ID | None = None) -> list[str]:
        try:
            lot = None if lot_id is None else parse_id(lot_id, "lotId")
        except DomainError:
            return []
        async with info.context.db.session(Scope.internal()) as session:
            return await subscribe_templates(session, lot)
