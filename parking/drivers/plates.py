"""A driver binds and unbinds plates (我的车辆): at most ``MAX_PLATES`` per account, a plate held by one account.

Every refusal raises ``DomainError`` before anything is written (or in a savepoint that is rolled back), so a
refused bind changes nothing. Plates are typed by people: ``parse_plate`` is their one gate (the grammar of
``parking.plates``; the no-plate marker is not a plate one can bind).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import DomainError, ErrorCode
from parking.drivers.models import MAX_PLATES, DriverPlate
from parking.drivers.texts import DriverText, refuse
from parking.plates import NO_PLATE, InvalidPlate, normalize_plate

# A typed plate longer than this is not a plate; cut before parsing so a flood of text costs nothing.
_MAX_TYPED = 32


def parse_plate(raw: str, field: str = "plate") -> str:
    """The canonical plate of text a person typed (粤b·12345 -> 粤B12345); INVALID_PLATE for anything else."""
    try:
        plate = normalize_plate(raw[:_MAX_TYPED]) if raw.strip() else NO_PLATE
    except InvalidPlate:
        plate = NO_PLATE
    if plate == NO_PLATE or len(raw) > _MAX_TYPED:
        raise refuse(ErrorCode.INVALID_PLATE, DriverText.PLATE_INVALID, field)
    return plate


def need_driver(openid: str | None) -> str:
    if not openid:
        raise refuse(ErrorCode.UNAUTHENTICATED, DriverText.LOGIN_NEEDED)
    return openid


async def my_plates(session: AsyncSession, openid: str) -> list[DriverPlate]:
    """The account's plates in the order they were bound."""
    rows = await session.scalars(
        select(DriverPlate).where(DriverPlate.openid == openid).order_by(DriverPlate.bound_at, DriverPlate.id)
    )
    return list(rows)


async def bind_plate(session: AsyncSession, openid: str | None, raw: str, now: datetime) -> DriverPlate:
    """Bind ``raw`` to the account; binding a plate it already holds answers that binding again."""
    holder = need_driver(openid)
    plate = parse_plate(raw)
    held = await session.scalar(select(DriverPlate).where(DriverPlate.plate == plate))
    if held is not None:
        if held.openid == holder:
            return held
        raise refuse(ErrorCode.PLATE_BOUND_ELSEWHERE, DriverText.PLATE_BOUND_ELSEWHERE, "plate")
    used = set(await session.scalars(select(DriverPlate.slot).where(DriverPlate.openid == holder)))
    free = [slot for slot in range(1, MAX_PLATES + 1) if slot not in used]
    if not free:
        raise refuse(ErrorCode.PLATE_LIMIT, DriverText.PLATE_LIMIT, "plate", limit=MAX_PLATES)
    row = DriverPlate(openid=holder, plate=plate, slot=free[0], bound_at=now)
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError as err:
        # A concurrent bind took the plate or the slot first: answer as if it had been there before.
        raise await _lost_race(session, holder, plate) from err
    return row


async def _lost_race(session: AsyncSession, openid: str, plate: str) -> DomainError:
    holder = await session.scalar(select(DriverPlate.openid).where(DriverPlate.plate == plate))
    if holder is not None and holder != openid:
        return refuse(ErrorCode.PLATE_BOUND_ELSEWHERE, DriverText.PLATE_BOUND_ELSEWHERE, "plate")
    return refuse(ErrorCode.PLATE_LIMIT, DriverText.PLATE_LIMIT, "plate", limit=MAX_PLATES)


async def unbind_plate(session: AsyncSession, openid: str | None, raw: str) -> DriverPlate:
    """Unbind a plate the account holds (NOT_FOUND when it holds no such plate); answers the removed binding."""
    holder = need_driver(openid)
    plate = parse_plate(raw)
    row = await session.scalar(select(DriverPlate).where(DriverPlate.openid == holder, DriverPlate.plate == plate))
    if row is None:
        raise refuse(ErrorCode.NOT_FOUND, DriverText.PLATE_NOT_BOUND, "plate")
    await session.execute(delete(DriverPlate).where(DriverPlate.id == row.id))
    return row
