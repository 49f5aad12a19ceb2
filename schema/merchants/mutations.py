"""Merchant mutations: ``MerchantSuccess | MerchantError``, audited."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.merchants import service as merchants
from parking.merchants.errors import MerchantErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.merchants import inputs
from schema.merchants.types import MerchantType

error_codes(MerchantErrorCode, "a merchant")


@strawberry.type
class MerchantError(Error):
    code: MerchantErrorCode
    message: str
    field: str | None = None


@strawberry.type
class MerchantSuccess:
    merchant: MerchantType


MerchantResult = Annotated[MerchantSuccess | MerchantError, strawberry.union("MerchantResult")]


def _merchant(row: object) -> MerchantSuccess:
    return MerchantSuccess(merchant=cast(MerchantType, row))


@strawberry.type
class MerchantsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe("Register a merchant.", Perm.MERCHANTS_MANAGE),
    )
    async def merchant_create(self, info: Info, input: inputs.MerchantCreateInput) -> MerchantResult:
        return await run(
            info, lambda s, a: merchants.create_merchant(s, a, input.to_pydantic()), MerchantError, _merchant
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe("Change a merchant.", Perm.MERCHANTS_MANAGE),
    )
    async def merchant_update(self, info: Info, id: strawberry.ID, input: inputs.MerchantUpdateInput) -> MerchantResult:
        return await run(
            info, lambda s, a: merchants.update_merchant(s, a, id, input.to_pydantic()), MerchantError, _merchant
        )
