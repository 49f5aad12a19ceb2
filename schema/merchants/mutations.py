"""Merchant mutations: ``MerchantSuccess | RecordError``, audited."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.merchants import service as merchants
from schema.core.context import Info
from schema.core.errors import RecordError
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.merchants import inputs
from schema.merchants.types import MerchantType


@strawberry.type
class MerchantSuccess:
    merchant: MerchantType


MerchantResult = Annotated[MerchantSuccess | RecordError, strawberry.union("MerchantResult")]


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
            info, lambda s, a: merchants.create_merchant(s, a, input.to_pydantic()), RecordError, _merchant
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe("Change a merchant.", Perm.MERCHANTS_MANAGE),
    )
    async def merchant_update(self, info: Info, id: strawberry.ID, input: inputs.MerchantUpdateInput) -> MerchantResult:
        return await run(
            info, lambda s, a: merchants.update_merchant(s, a, id, input.to_pydantic()), RecordError, _merchant
        )
