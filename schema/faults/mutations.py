"""Fault ticket mutations: ``FaultTicketSuccess | FaultError``, audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.faults import service as faults
from parking.faults.errors import FaultErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.faults import inputs
from schema.faults.types import FaultTicketType

error_codes(FaultErrorCode, "a fault ticket")


@strawberry.type
class FaultError(Error):
    code: FaultErrorCode
    message: str
    field: str | None = None


@strawberry.type
class FaultTicketSuccess:
    ticket: FaultTicketType


FaultTicketResult = Annotated[FaultTicketSuccess | FaultError, strawberry.union("FaultTicketResult")]


def ticket_success(row: object) -> FaultTicketSuccess:
    return FaultTicketSuccess(ticket=cast(FaultTicketType, row))


@strawberry.type
class FaultsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.FAULTS_MANAGE),
        description=describe("Open a fault ticket.", Perm.FAULTS_MANAGE),
    )
    async def fault_ticket_create(self, info: Info, input: inputs.FaultTicketCreateInput) -> FaultTicketResult:
        return await run(info, lambda s, a: faults.create_ticket(s, a, input.to_pydantic()), FaultError, ticket_success)

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
            FaultError,
            ticket_success,
        )
