"""GraphQL inputs generated from the domain's validated input models."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.tenancy import inputs


@pydantic_input(model=inputs.AgentCreate, all_fields=True)
class AgentCreateInput:
    pass


@pydantic_input(model=inputs.AgentUpdate, all_fields=True)
class AgentUpdateInput:
    pass


@pydantic_input(model=inputs.CustomerCreate, all_fields=True)
class CustomerCreateInput:
    agent_id: strawberry.ID


@pydantic_input(model=inputs.CustomerUpdate, all_fields=True)
class CustomerUpdateInput:
    pass


@pydantic_input(model=inputs.LotCreate, all_fields=True)
class LotCreateInput:
    customer_id: strawberry.ID


@pydantic_input(model=inputs.LotUpdate, all_fields=True)
class LotUpdateInput:
    pass


@pydantic_input(model=inputs.AreaCreate, all_fields=True)
class AreaCreateInput:
    lot_id: strawberry.ID
    parent_id: strawberry.ID | None = None


@pydantic_input(model=inputs.AreaUpdate, all_fields=True)
class AreaUpdateInput:
    pass


@pydantic_input(model=inputs.LaneCreate, all_fields=True)
class LaneCreateInput:
    lot_id: strawberry.ID
    area_id: strawberry.ID | None = None


@pydantic_input(model=inputs.LaneUpdate, all_fields=True)
class LaneUpdateInput:
    pass
