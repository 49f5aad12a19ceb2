"""Lots near a driver (附近停车场): within a radius by great-circle distance, nearest first, with free spaces now
(``Lot.free_spaces``: capacity less the cars inside, the lane flow's count) and a one-line tariff summary.

A bounding box narrows the lots in SQL (an index-free scan of lots with coordinates is cheap: lots number in
the thousands); the haversine distance decides. Three queries whatever the number of lots.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import ErrorCode
from parking.drivers.texts import DriverText, refuse
from parking.tariffs.document import Tariff
from parking.tariffs.engine import version_at
from parking.tariffs.models import TariffVersion
from parking.tariffs.stay import NoTariffInForce
from parking.tariffs.summary import tariff_summary
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import Lot

EARTH_RADIUS_M = 6_371_008.8
MAX_RADIUS_KM = 50.0
MAX_LOTS = 50
_M_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True, slots=True)
class NearbyLot:
    lot_id: int
    name: str
    address: str
    latitude: float
    longitude: float
    distance_m: int
    free_spaces: int
    total_spaces: int
    tariff_summary: str | None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _check(latitude: float, longitude: float, radius_km: float) -> None:
    if not math.isfinite(latitude) or not -90 <= latitude <= 90:
        raise refuse(ErrorCode.INVALID, DriverText.LATITUDE_INVALID, "latitude")
    if not math.isfinite(longitude) or not -180 <= longitude <= 180:
        raise refuse(ErrorCode.INVALID, DriverText.LONGITUDE_INVALID, "longitude")
    if not math.isfinite(radius_km) or not 0 < radius_km <= MAX_RADIUS_KM:
        raise refuse(ErrorCode.INVALID, DriverText.RADIUS_INVALID, "radiusKm", max_km=f"{MAX_RADIUS_KM:g}")


async def _summaries(session: AsyncSession, lot_ids: list[int], now: datetime) -> dict[int, str]:
    """Each lot's small-car tariff in force now (its own, not an area's), in one line."""
    versions: dict[int, list[Tariff]] = {}
    rows = await session.scalars(
        select(TariffVersion)
        .where(
            TariffVersion.lot_id.in_(lot_ids),
            TariffVersion.area_id.is_(None),
            TariffVersion.vehicle_class == VehicleClass.SMALL,
        )
        .order_by(TariffVersion.id)
    )
    for row in rows:
        versions.setdefault(row.lot_id, []).append(Tariff.model_validate({**row.document, "version": row.version}))
    out: dict[int, str] = {}
    for lot_id, tariffs in versions.items():
        try:
            out[lot_id] = tariff_summary(version_at(tariffs, now))
        except NoTariffInForce:
            continue
    return out


async def lots_nearby(
    session: AsyncSession, latitude: float, longitude: float, radius_km: float, now: datetime
) -> list[NearbyLot]:
    """Active lots with coordinates within ``radius_km`` (at most 50), nearest first, at most ``MAX_LOTS``."""
    _check(latitude, longitude, radius_km)
    radius_m = radius_km * 1000
    dlat = radius_m / _M_PER_DEGREE
    # Near the poles a degree of longitude shrinks to nothing: then every longitude is in the box.
    cos_lat = math.cos(math.radians(latitude))
    dlon = 180.0 if cos_lat < 1e-6 else min(180.0, radius_m / (_M_PER_DEGREE * cos_lat))
    stmt = select(Lot).where(
        Lot.is_active.is_(True),
        Lot.latitude.is_not(None),
        Lot.longitude.is_not(None),
        Lot.latitude.between(latitude - dlat, latitude + dlat),
    )
    if dlon < 180.0:
        stmt = stmt.where(Lot.longitude.between(longitude - dlon, longitude + dlon))
    found: list[tuple[float, Lot]] = []
    for lot in await session.scalars(stmt):
        assert lot.latitude is not None
        assert lot.longitude is not None
        distance = haversine_m(latitude, longitude, lot.latitude, lot.longitude)
        if distance <= radius_m:
            found.append((distance, lot))
    found.sort(key=lambda pair: (pair[0], pair[1].id))
    found = found[:MAX_LOTS]
    summaries = await _summaries(session, [lot.id for _, lot in found], now) if found else {}
    return [
        NearbyLot(
            lot_id=lot.id,
            name=lot.name,
            address=lot.address,
            latitude=float(lot.latitude or 0.0),
            longitude=float(lot.longitude or 0.0),
            distance_m=round(distance),
            free_spaces=lot.free_spaces,
            total_spaces=lot.capacity,
            tariff_summary=summaries.get(lot.id),
        )
        for distance, lot in found
    ]
