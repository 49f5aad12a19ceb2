"""GraphQL inputs of the accounts mutations."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import input as pydantic_input

from parking.accounts import inputs


@pydantic_input(model=inputs.ScopeInput, all_fields=True)
class ScopeInput:
    agent_id: strawberry.ID | None = None
    customer_id: strawberry.ID | None = None
    lot_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@pydantic_input(model=inputs.RoleCreate, all_fields=True)
class RoleCreateInput:
    pass


@pydantic_input(model=inputs.RoleUpdate, all_fields=True)
class RoleUpdateInput:
    pass


@pydantic_input(model=inputs.OperatorCreate, all_fields=True)
class OperatorCreateInput:
    role_id: strawberry.ID
    scope: ScopeInput


@pydantic_input(model=inputs.OperatorUpdate, all_fields=True)
class OperatorUpdateInput:
    role_id: strawberry.ID | None = None


@pydantic_input(model=inputs.ApiKeyCreate, all_fields=True)
class ApiKeyCreateInput:
    scope: ScopeInput
