"""GraphQL inputs of the parking-code mutations."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.codes import inputs as codes


@pydantic_input(model=codes.ParkingCodeCreate, all_fields=True)
class ParkingCodeCreateInput:
    lot_id: strawberry.ID
    lane_id: strawberry.ID | None = None
    merchant_id: strawberry.ID | None = None
    template_id: strawberry.ID | None = None


@pydantic_input(model=codes.VipCodesCreate, all_fields=True)
class VipCodesCreateInput:
    merchant_id: strawberry.ID
    template_id: strawberry.ID


@strawberry.input(description="A scanned code: its payload (after /m/c/) and, for coupon and in-lot codes, the plate.")
class CodeScanInput:
    payload: str
    plate: str | None = None
    lot_id: strawberry.ID | None = strawberry.field(
        default=None, description="The lot the driver's app says it is at: a code of another lot is refused."
    )
