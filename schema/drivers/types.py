"""The mini-program driver's types: plates, a plate's open stays and history, lots near by."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from parking.drivers.errors import DriverErrorCode
from schema.core.errors import Error, error_codes
from schema.core.money import Fen
from schema.core.pagination import PageInfo

error_codes(DriverErrorCode, "a driver's")


@strawberry.type
class DriverError(Error):
    code: DriverErrorCode
    message: str
    field: str | None = None


@strawberry.type(description="A plate bound to the signed-in driver's WeChat account (我的车辆).")
class DriverPlate:
    plate: str
    bound_at: datetime
    proven: bool = strawberry.field(
        description="Whether this account proved it drives the plate (paid a stay of it, or its pass, with this "
        "openid): only then is plateHistory open to it."
    )


@strawberry.type(description="An open stay of a typed plate and what it owes now; pay with paymentCreate(stayToken).")
class DriverStay:
    lot_id: strawberry.ID
    lot_name: str
    entered_at: datetime
    owed_fen: Fen = strawberry.field(description="What the driver must pay now to leave (0 within the grace).")
    grace_ends_at: datetime | None = strawberry.field(
        description="After a payment in the lot: leave before this and nothing more is due."
    )
    stay_token: str
    masked_plate: str
    paid_fen: Fen
    coupon_fen: Fen


@strawberry.type
class PlateStaysSuccess:
    stays: list[DriverStay]


@strawberry.type(description="One stay of a plate in its history.")
class PlateHistoryEntry:
    lot_id: strawberry.ID
    lot_name: str
    entered_at: datetime
    exited_at: datetime | None
    paid_fen: Fen
    in_lot: bool


@strawberry.type
class PlateHistorySuccess:
    items: list[PlateHistoryEntry]
    page_info: PageInfo


@strawberry.type(description="A lot near the driver: distance, free spaces now, and its tariff in one line.")
class NearbyLot:
    lot_id: strawberry.ID
    name: str
    address: str
    latitude: float
    longitude: float
    distance_m: int
    free_spaces: int
    total_spaces: int
    tariff_summary: str | None


PlateBindResult = Annotated[DriverPlate | DriverError, strawberry.union("PlateBindResult")]
PlateStaysResult = Annotated[PlateStaysSuccess | DriverError, strawberry.union("PlateStaysResult")]
PlateHistoryResult = Annotated[PlateHistorySuccess | DriverError, strawberry.union("PlateHistoryResult")]
