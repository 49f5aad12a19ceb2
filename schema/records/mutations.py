"""Merchant and fault ticket mutations: ``XSuccess | RecordError``, audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.faults import service as faults
from parking.merchants import service as merchants
from schema.core.context import Info
from schema.core.errors import Error, ErrorCode
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.records import inputs
from schema.records.types import FaultTicketType, MerchantType


@strawberry.type
class RecordError(Error):
    code: ErrorCode
    message: str
    field: str | None = None


@strawberry.type
class MerchantSuccess:
    merchant: MerchantType


@strawberry.type
class FaultTicketSuccess:
    ticket: FaultTicketType


MerchantResult = Annotated[MerchantSuccess | RecordError, strawberry.union("MerchantResult")]
FaultTicketResult = Annotated[FaultTicketSuccess | RecordError, strawberry.union("FaultTicketResult")]


def _merchant(row: object) -> MerchantSuccess:
    return MerchantSuccess(merchant=cast(MerchantType, row))


def _ticket(row: object) -> FaultTicketSuccess:
    return FaultTicketSuccess(ticket=cast(FaultTicketType, row))


@strawberry.type
class RecordsMutation:
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

    @strawberry.mutation(
        extensions=requires(Perm.FAULTS_MANAGE),
        description=describe("Open a fault ticket.", Perm.FAULTS_MANAGE),
    )
    async def fault_ticket_create(self, info: Info, input: inputs.FaultTicketCreateInput) -> FaultTicketResult:
        return await run(info, lambda s, a: faults.create_ticket(s, a, input.to_pydantic()), RecordError, _ticket)

    @strawberry.mutation(
        extensions=requires(Perm.FAULTS_MANAGE),
        description=describe("Assign, progress or resolve a fault ticket.", Perm.FAULTS_MANAGE),
    )
    async def fault_ticket_update(
        self, info: Info, id: strawberry.ID, input: inputs.FaultTicketUpdateInput
    ) -> FaultTicketResult:
        return await run(
            info,
            lambda s, a: faults.update_ticket(s, a, id, input.to_pydantic(), now=datetime.now(UTC)),
            RecordError,
            _ticket,
        )
