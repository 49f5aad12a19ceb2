"""Vehicles mutations: each returns ``XSuccess | VehicleError`` and writes an audit record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.payments.renewals import renew_pass_paid
from parking.vehicles import inputs as domain_inputs
from parking.vehicles import service
from parking.vehicles.errors import VehicleErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.core.results import DeleteSuccess, deleted
from schema.vehicles import inputs
from schema.vehicles.types import (
    ListEntryType,
    OwnerType,
    PassProductType,
    PassType,
    VehicleGroupType,
    VehicleType,
    WalletType,
)

error_codes(VehicleErrorCode, "a vehicle")


@strawberry.type
class VehicleError(Error):
    code: VehicleErrorCode
    message: str
    field: str | None = None


@strawberry.type
class OwnerSuccess:
    owner: OwnerType


@strawberry.type
class VehicleSuccess:
    vehicle: VehicleType


@strawberry.type
class VehicleGroupSuccess:
    group: VehicleGroupType


@strawberry.type
class WalletSuccess:
    wallet: WalletType


@strawberry.type
class ListEntrySuccess:
    entry: ListEntryType


@strawberry.type
class PassProductSuccess:
    product: PassProductType


@strawberry.type
class PassSuccess:
    pass_: PassType = strawberry.field(name="pass")


OwnerResult = Annotated[OwnerSuccess | VehicleError, strawberry.union("OwnerResult")]
VehicleResult = Annotated[VehicleSuccess | VehicleError, strawberry.union("VehicleResult")]
VehicleGroupResult = Annotated[VehicleGroupSuccess | VehicleError, strawberry.union("VehicleGroupResult")]
WalletResult = Annotated[WalletSuccess | VehicleError, strawberry.union("WalletResult")]
ListEntryResult = Annotated[ListEntrySuccess | VehicleError, strawberry.union("ListEntryResult")]
PassProductResult = Annotated[PassProductSuccess | VehicleError, strawberry.union("PassProductResult")]
PassResult = Annotated[PassSuccess | VehicleError, strawberry.union("PassResult")]
VehicleDeleteResult = Annotated[DeleteSuccess | VehicleError, strawberry.union("VehicleDeleteResult")]


def _owner(row: object) -> OwnerSuccess:
    return OwnerSuccess(owner=cast(OwnerType, row))


def _vehicle(row: object) -> VehicleSuccess:
    return VehicleSuccess(vehicle=cast(VehicleType, row))


def _group(row: object) -> VehicleGroupSuccess:
    return VehicleGroupSuccess(group=cast(VehicleGroupType, row))


def _wallet(row: object) -> WalletSuccess:
    return WalletSuccess(wallet=cast(WalletType, row))


def _entry(row: object) -> ListEntrySuccess:
    return ListEntrySuccess(entry=cast(ListEntryType, row))


def _product(row: object) -> PassProductSuccess:
    return PassProductSuccess(product=cast(PassProductType, row))


def _pass(row: object) -> PassSuccess:
    return PassSuccess(pass_=cast(PassType, row))


def _now() -> datetime:
    return datetime.now(UTC)


OWN = requires(Perm.OWNERS_MANAGE)
PASS = requires(Perm.PASSES_MANAGE)


def _own(text: str) -> str:
    return describe(text, Perm.OWNERS_MANAGE)


def _pas(text: str) -> str:
    return describe(text, Perm.PASSES_MANAGE)


@strawberry.type
class VehiclesMutation:
    @strawberry.mutation(extensions=OWN, description=_own("Create a long-term owner."))
    async def owner_create(self, info: Info, input: inputs.OwnerCreateInput) -> OwnerResult:
        return await run(info, lambda s, a: service.create_owner(s, a, input.to_pydantic()), VehicleError, _owner)

    @strawberry.mutation(extensions=OWN, description=_own("Change an owner."))
    async def owner_update(self, info: Info, id: strawberry.ID, input: inputs.OwnerUpdateInput) -> OwnerResult:
        return await run(info, lambda s, a: service.update_owner(s, a, id, input.to_pydantic()), VehicleError, _owner)

    @strawberry.mutation(extensions=OWN, description=_own("Delete an owner; their vehicles stay, unowned."))
    async def owner_delete(self, info: Info, id: strawberry.ID) -> VehicleDeleteResult:
        return await run(info, lambda s, a: service.delete_owner(s, a, id), VehicleError, deleted)

    @strawberry.mutation(extensions=OWN, description=_own("Register a vehicle; its plate is unique per lot."))
    async def vehicle_create(self, info: Info, input: inputs.VehicleCreateInput) -> VehicleResult:
        return await run(info, lambda s, a: service.create_vehicle(s, a, input.to_pydantic()), VehicleError, _vehicle)

    @strawberry.mutation(extensions=OWN, description=_own("Change a vehicle."))
    async def vehicle_update(self, info: Info, id: strawberry.ID, input: inputs.VehicleUpdateInput) -> VehicleResult:
        return await run(
            info, lambda s, a: service.update_vehicle(s, a, id, input.to_pydantic()), VehicleError, _vehicle
        )

    @strawberry.mutation(extensions=OWN, description=_own("Remove a vehicle and its passes."))
    async def vehicle_delete(self, info: Info, id: strawberry.ID) -> VehicleDeleteResult:
        return await run(info, lambda s, a: service.delete_vehicle(s, a, id), VehicleError, deleted)

    @strawberry.mutation(extensions=OWN, description=_own("Create a vehicle group (一位多车)."))
    async def vehicle_group_create(self, info: Info, input: inputs.VehicleGroupCreateInput) -> VehicleGroupResult:
        return await run(info, lambda s, a: service.create_group(s, a, input.to_pydantic()), VehicleError, _group)

    @strawberry.mutation(extensions=OWN, description=_own("Change a vehicle group."))
    async def vehicle_group_update(
        self, info: Info, id: strawberry.ID, input: inputs.VehicleGroupUpdateInput
    ) -> VehicleGroupResult:
        return await run(info, lambda s, a: service.update_group(s, a, id, input.to_pydantic()), VehicleError, _group)

    @strawberry.mutation(extensions=OWN, description=_own("Add stored value to an owner's wallet."))
    async def wallet_top_up(self, info: Info, input: inputs.WalletMoveInput) -> WalletResult:
        return await run(
            info,
            lambda s, a: service.move_wallet(s, a, input.to_pydantic(), debit=False, now=_now()),
            VehicleError,
            _wallet,
        )

    @strawberry.mutation(extensions=OWN, description=_own("Take stored value from a wallet; never below zero."))
    async def wallet_debit(self, info: Info, input: inputs.WalletMoveInput) -> WalletResult:
        return await run(
            info,
            lambda s, a: service.move_wallet(s, a, input.to_pydantic(), debit=True, now=_now()),
            VehicleError,
            _wallet,
        )

    @strawberry.mutation(extensions=OWN, description=_own("Put a plate on a list for a validity window."))
    async def list_entry_create(self, info: Info, input: inputs.ListEntryCreateInput) -> ListEntryResult:
        return await run(info, lambda s, a: service.create_list_entry(s, a, input.to_pydantic()), VehicleError, _entry)

    @strawberry.mutation(extensions=OWN, description=_own("Change a list entry."))
    async def list_entry_update(
        self, info: Info, id: strawberry.ID, input: inputs.ListEntryUpdateInput
    ) -> ListEntryResult:
        return await run(
            info, lambda s, a: service.update_list_entry(s, a, id, input.to_pydantic()), VehicleError, _entry
        )

    @strawberry.mutation(extensions=OWN, description=_own("Remove a plate from a list."))
    async def list_entry_delete(self, info: Info, id: strawberry.ID) -> VehicleDeleteResult:
        return await run(info, lambda s, a: service.delete_list_entry(s, a, id), VehicleError, deleted)

    @strawberry.mutation(extensions=PASS, description=_pas("Create a pass product."))
    async def pass_product_create(self, info: Info, input: inputs.PassProductCreateInput) -> PassProductResult:
        return await run(info, lambda s, a: service.create_product(s, a, input.to_pydantic()), VehicleError, _product)

    @strawberry.mutation(extensions=PASS, description=_pas("Change a pass product."))
    async def pass_product_update(
        self, info: Info, id: strawberry.ID, input: inputs.PassProductUpdateInput
    ) -> PassProductResult:
        return await run(
            info, lambda s, a: service.update_product(s, a, id, input.to_pydantic()), VehicleError, _product
        )

    @strawberry.mutation(extensions=PASS, description=_pas("Issue a pass to a vehicle or a vehicle group."))
    async def pass_create(self, info: Info, input: inputs.PassCreateInput) -> PassResult:
        return await run(info, lambda s, a: service.create_pass(s, a, input.to_pydantic()), VehicleError, _pass)

    @strawberry.mutation(extensions=PASS, description=_pas("Suspend, cancel or reactivate a pass."))
    async def pass_update(self, info: Info, id: strawberry.ID, input: inputs.PassUpdateInput) -> PassResult:
        return await run(info, lambda s, a: service.update_pass(s, a, id, input.to_pydantic()), VehicleError, _pass)

    @strawberry.mutation(
        extensions=PASS,
        description=_pas(
            "Renew a pass (续费) by whole product periods, counted on the lot's calendar. What it costs is recorded "
            "as a paid order (purpose PASS_RENEWAL, channel: the method when it names one, else BOOTH): revenue."
        ),
    )
    async def pass_renew(self, info: Info, id: strawberry.ID, periods: int, method: str) -> PassResult:
        return await run(
            info,
            lambda s, a: renew_pass_paid(s, a, id, domain_inputs.PassRenew(periods=periods, method=method), now=_now()),
            VehicleError,
            _pass,
        )
