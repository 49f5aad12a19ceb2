"""Tenancy mutations: each returns ``XSuccess | TenancyError`` and writes an audit record."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.sessions import lots
from parking.tenancy import models, service
from parking.tenancy.errors import TenancyErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.core.results import DeleteSuccess, deleted
from schema.tenancy import inputs
from schema.tenancy.payment_settings import LotPaymentSettingsInput, LotPaymentSettingsType, settings_of
from schema.tenancy.types import AgentType, AreaType, CustomerType, LaneType, LotType

error_codes(TenancyErrorCode, "a tenancy")


@strawberry.type
class TenancyError(Error):
    code: TenancyErrorCode
    message: str
    field: str | None = None


@strawberry.type
class AgentSuccess:
    agent: AgentType


@strawberry.type
class CustomerSuccess:
    customer: CustomerType


@strawberry.type
class LotSuccess:
    lot: LotType


@strawberry.type
class LotPaymentSettingsSuccess:
    lot: LotType

    @strawberry.field
    def payment_settings(self) -> LotPaymentSettingsType:
        return settings_of(cast(models.Lot, self.lot))


@strawberry.type
class AreaSuccess:
    area: AreaType


@strawberry.type
class LaneSuccess:
    lane: LaneType


AgentResult = Annotated[AgentSuccess | TenancyError, strawberry.union("AgentResult")]
CustomerResult = Annotated[CustomerSuccess | TenancyError, strawberry.union("CustomerResult")]
LotResult = Annotated[LotSuccess | TenancyError, strawberry.union("LotResult")]
LotPaymentSettingsResult = Annotated[
    LotPaymentSettingsSuccess | TenancyError, strawberry.union("LotPaymentSettingsResult")
]
AreaResult = Annotated[AreaSuccess | TenancyError, strawberry.union("AreaResult")]
LaneResult = Annotated[LaneSuccess | TenancyError, strawberry.union("LaneResult")]
TenancyDeleteResult = Annotated[DeleteSuccess | TenancyError, strawberry.union("TenancyDeleteResult")]


@strawberry.type
class TenancyMutation:
    @strawberry.mutation(
        extensions=requires(Perm.AGENTS_MANAGE), description=describe("Create an agent.", Perm.AGENTS_MANAGE)
    )
    async def agent_create(self, info: Info, input: inputs.AgentCreateInput) -> AgentResult:
        return await run(
            info,
            lambda s, a: service.create_agent(s, a, input.to_pydantic()),
            TenancyError,
            lambda row: AgentSuccess(agent=cast(AgentType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.AGENTS_MANAGE), description=describe("Change an agent.", Perm.AGENTS_MANAGE)
    )
    async def agent_update(self, info: Info, id: strawberry.ID, input: inputs.AgentUpdateInput) -> AgentResult:
        return await run(
            info,
            lambda s, a: service.update_agent(s, a, id, input.to_pydantic()),
            TenancyError,
            lambda row: AgentSuccess(agent=cast(AgentType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.CUSTOMERS_MANAGE),
        description=describe("Create a customer.", Perm.CUSTOMERS_MANAGE),
    )
    async def customer_create(self, info: Info, input: inputs.CustomerCreateInput) -> CustomerResult:
        return await run(
            info,
            lambda s, a: service.create_customer(s, a, input.to_pydantic()),
            TenancyError,
            lambda row: CustomerSuccess(customer=cast(CustomerType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.CUSTOMERS_MANAGE),
        description=describe("Change a customer.", Perm.CUSTOMERS_MANAGE),
    )
    async def customer_update(self, info: Info, id: strawberry.ID, input: inputs.CustomerUpdateInput) -> CustomerResult:
        return await run(
            info,
            lambda s, a: service.update_customer(s, a, id, input.to_pydantic()),
            TenancyError,
            lambda row: CustomerSuccess(customer=cast(CustomerType, row)),
        )

    @strawberry.mutation(extensions=requires(Perm.LOTS_MANAGE), description=describe("Create a lot.", Perm.LOTS_MANAGE))
    async def lot_create(self, info: Info, input: inputs.LotCreateInput) -> LotResult:
        return await run(
            info,
            lambda s, a: service.create_lot(s, a, input.to_pydantic()),
            TenancyError,
            lambda row: LotSuccess(lot=cast(LotType, row)),
        )

    @strawberry.mutation(extensions=requires(Perm.LOTS_MANAGE), description=describe("Change a lot.", Perm.LOTS_MANAGE))
    async def lot_update(self, info: Info, id: strawberry.ID, input: inputs.LotUpdateInput) -> LotResult:
        return await run(
            info,
            lambda s, a: service.update_lot(s, a, id, input.to_pydantic()),
            TenancyError,
            lambda row: LotSuccess(lot=cast(LotType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe(
            "Change a lot's payment and notification settings; fields left out keep their values, and a value "
            "out of bounds changes nothing.",
            Perm.LOTS_MANAGE,
        ),
    )
    async def lot_payment_settings_update(
        self, info: Info, lot_id: strawberry.ID, input: LotPaymentSettingsInput
    ) -> LotPaymentSettingsResult:
        return await run(
            info,
            lambda s, a: service.update_payment_settings(s, a, lot_id, input.to_pydantic()),
            TenancyError,
            lambda row: LotPaymentSettingsSuccess(lot=cast(LotType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe("Delete a lot with no records.", Perm.LOTS_MANAGE),
    )
    async def lot_delete(self, info: Info, id: strawberry.ID) -> TenancyDeleteResult:
        return await run(info, lambda s, a: lots.delete_lot(s, a, id), TenancyError, deleted)

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe("Create an area or inner lot.", Perm.LOTS_MANAGE),
    )
    async def area_create(self, info: Info, input: inputs.AreaCreateInput) -> AreaResult:
        return await run(
            info,
            lambda s, a: service.create_area(s, a, input.to_pydantic()),
            TenancyError,
            lambda row: AreaSuccess(area=cast(AreaType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE), description=describe("Change an area.", Perm.LOTS_MANAGE)
    )
    async def area_update(self, info: Info, id: strawberry.ID, input: inputs.AreaUpdateInput) -> AreaResult:
        return await run(
            info,
            lambda s, a: service.update_area(s, a, id, input.to_pydantic()),
            TenancyError,
            lambda row: AreaSuccess(area=cast(AreaType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE), description=describe("Create a lane.", Perm.LOTS_MANAGE)
    )
    async def lane_create(self, info: Info, input: inputs.LaneCreateInput) -> LaneResult:
        return await run(
            info,
            lambda s, a: service.create_lane(s, a, input.to_pydantic()),
            TenancyError,
            lambda row: LaneSuccess(lane=cast(LaneType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE), description=describe("Change a lane.", Perm.LOTS_MANAGE)
    )
    async def lane_update(self, info: Info, id: strawberry.ID, input: inputs.LaneUpdateInput) -> LaneResult:
        return await run(
            info,
            lambda s, a: service.update_lane(s, a, id, input.to_pydantic()),
            TenancyError,
            lambda row: LaneSuccess(lane=cast(LaneType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe("Issue a new lane QR token, voiding printed codes.", Perm.LOTS_MANAGE),
    )
    async def lane_rotate_qr(self, info: Info, id: strawberry.ID) -> LaneResult:
        return await run(
            info,
            lambda s, a: service.rotate_lane_qr(s, a, id),
            TenancyError,
            lambda row: LaneSuccess(lane=cast(LaneType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe("Delete a lane with no records.", Perm.LOTS_MANAGE),
    )
    async def lane_delete(self, info: Info, id: strawberry.ID) -> TenancyDeleteResult:
        return await run(info, lambda s, a: service.delete_lane(s, a, id), TenancyError, deleted)
