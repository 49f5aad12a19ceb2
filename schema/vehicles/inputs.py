"""GraphQL inputs generated from the vehicles domain's validated input models."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.vehicles import inputs
from schema.core.money import Fen


@pydantic_input(model=inputs.OwnerCreate, all_fields=True)
class OwnerCreateInput:
    lot_id: strawberry.ID


@pydantic_input(model=inputs.OwnerUpdate, all_fields=True)
class OwnerUpdateInput:
    pass


@pydantic_input(model=inputs.VehicleCreate, all_fields=True)
class VehicleCreateInput:
    lot_id: strawberry.ID
    owner_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None


@pydantic_input(model=inputs.VehicleUpdate, all_fields=True)
class VehicleUpdateInput:
    owner_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None


@pydantic_input(model=inputs.VehicleGroupCreate, all_fields=True)
class VehicleGroupCreateInput:
    lot_id: strawberry.ID
    owner_id: strawberry.ID | None = None


@pydantic_input(model=inputs.VehicleGroupUpdate, all_fields=True)
class VehicleGroupUpdateInput:
    owner_id: strawberry.ID | None = None


@pydantic_input(model=inputs.WalletMove, all_fields=True)
class WalletMoveInput:
    owner_id: strawberry.ID
    amount_fen: Fen


@pydantic_input(model=inputs.ListEntryCreate, all_fields=True)
class ListEntryCreateInput:
    lot_id: strawberry.ID


@pydantic_input(model=inputs.ListEntryUpdate, all_fields=True)
class ListEntryUpdateInput:
    pass


@pydantic_input(model=inputs.PassProductCreate, all_fields=True)
class PassProductCreateInput:
    lot_id: strawberry.ID
    price_fen: Fen


@pydantic_input(model=inputs.PassProductUpdate, all_fields=True)
class PassProductUpdateInput:
    price_fen: Fen | None = None


@pydantic_input(model=inputs.PassCreate, all_fields=True)
class PassCreateInput:
    product_id: strawberry.ID
    vehicle_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None


@pydantic_input(model=inputs.PassUpdate, all_fields=True)
class PassUpdateInput:
    pass
