"""GraphQL inputs generated from the vehicles domain's validated input models."""

from __future__ import annotations

import dataclasses
from datetime import time

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


@strawberry.input(description="Only the fields given change; `quota: null` makes the quota unlimited again.")
class PassProductUpdateInput:
    # Written out rather than generated from the model: a generated input defaults every field to null, so an
    # explicit `quota: null` (clear the quota) could not be told from a quota left out (keep it).
    name: str | None = strawberry.UNSET
    price_fen: Fen | None = strawberry.UNSET
    window_start: time | None = strawberry.UNSET
    window_end: time | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET
    sold_online: bool | None = strawberry.UNSET
    quota: int | None = strawberry.UNSET

    def to_pydantic(self) -> inputs.PassProductUpdate:
        """The validated update holding only the given fields (``model_fields_set`` tells which)."""
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return inputs.PassProductUpdate(**{k: v for k, v in given.items() if v is not strawberry.UNSET})


@pydantic_input(model=inputs.PassCreate, all_fields=True)
class PassCreateInput:
    product_id: strawberry.ID
    vehicle_id: strawberry.ID | None = None
    group_id: strawberry.ID | None = None


@pydantic_input(model=inputs.PassUpdate, all_fields=True)
class PassUpdateInput:
    pass
