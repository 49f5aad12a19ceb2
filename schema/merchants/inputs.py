"""GraphQL inputs of the merchant mutations."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.merchants import inputs as merchants


@pydantic_input(model=merchants.MerchantCreate, all_fields=True)
class MerchantCreateInput:
    lot_id: strawberry.ID


@pydantic_input(model=merchants.MerchantUpdate, all_fields=True)
class MerchantUpdateInput:
    pass
