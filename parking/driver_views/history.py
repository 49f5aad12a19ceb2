"""A plate's stays, for the account that proved it drives the plate (``proof``); NOT_PROVEN for anyone else."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import ErrorCode
from parking.driver_views.proof import proven_plates
from parking.drivers.plates import need_driver, parse_plate
from parking.drivers.texts import DriverText, refuse
from parking.sessions.models import ParkingSession


async def history_query(session: AsyncSession, openid: str | None, raw_plate: str) -> Select[ParkingSession]:
    """The statement of the plate's stays (outer stays, every lot), for the caller to page; refuses first."""
    driver = need_driver(openid)
    plate = parse_plate(raw_plate)
    if plate not in await proven_plates(session, driver, [plate]):
        raise refuse(ErrorCode.NOT_PROVEN, DriverText.NOT_PROVEN, "plate")
    return select(ParkingSession).where(
        ParkingSession.plate == plate, ParkingSession.parent_id.is_(None), ParkingSession.driver_key.is_(None)
    )
