"""Merchant and fault ticket mutations: success and error codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.scope import Scope
from parking.faults import service as faults
from parking.faults.inputs import FaultTicketCreate, FaultTicketUpdate
from parking.faults.models import FaultStatus
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.records.seed import seed_records


async def _mutate(gql: GraphQL, world: World, who: str, name: str, args: str, fields: str) -> dict[str, Any]:
    error = "MerchantError" if name.startswith("merchant") else "FaultError"
    err = f"... on {error} {{ code field }}"
    body = await gql(f"mutation {{ {name}({args}) {{ __typename {fields} {err} }} }}", token=world.tokens[who])
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"][name]
    return result


MERCHANT = "... on MerchantSuccess { merchant { id name phone isActive } }"
TICKET = "... on FaultTicketSuccess { ticket { id title status deviceId resolvedAt } }"


async def test_merchant_create_and_deactivate(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await _mutate(
        gql, world, "agentA", "merchantCreate", f'input: {{lotId: "{world.id("lot:A1a")}", name: " 咖啡店 "}}', MERCHANT
    )
    merchant_id = created["merchant"]["id"]
    updated = await _mutate(
        gql, world, "agentA", "merchantUpdate", f'id: "{merchant_id}", input: {{isActive: false}}', MERCHANT
    )
    assert created["merchant"] == {"id": merchant_id, "name": "咖啡店", "phone": "", "isActive": True}
    assert updated["merchant"] == {"id": merchant_id, "name": "咖啡店", "phone": "", "isActive": False}


async def test_merchant_with_empty_name_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await _mutate(
        gql, world, "agentA", "merchantCreate", f'input: {{lotId: "{world.id("lot:A1a")}", name: "  "}}', ""
    )
    assert (result["code"], result["field"]) == ("INVALID", "name")


async def test_merchant_in_other_agents_lot_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    result = await _mutate(
        gql, world, "agentA", "merchantCreate", f'input: {{lotId: "{world.id("lot:B1a")}", name: "x"}}', ""
    )
    assert (result["code"], result["field"]) == ("NOT_FOUND", "lotId")


async def test_fault_ticket_for_device_of_another_lot_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await seed_records(db, world)
    args = f'input: {{lotId: "{world.id("lot:A1a")}", deviceId: "{world.id("device:A1b")}", title: "camera dark"}}'
    result = await _mutate(gql, world, "agentA", "faultTicketCreate", args, "")
    assert (result["code"], result["field"]) == ("INVALID", "deviceId")


async def test_fault_ticket_resolve_and_reopen(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await seed_records(db, world)
    args = f'input: {{lotId: "{world.id("lot:A1a")}", deviceId: "{world.id("device:A1a")}", title: "camera dark"}}'
    created = await _mutate(gql, world, "agentA", "faultTicketCreate", args, TICKET)
    ticket_id = created["ticket"]["id"]
    resolved = await _mutate(
        gql, world, "agentA", "faultTicketUpdate", f'id: "{ticket_id}", input: {{status: RESOLVED}}', TICKET
    )
    reopened = await _mutate(
        gql, world, "agentA", "faultTicketUpdate", f'id: "{ticket_id}", input: {{status: OPEN}}', TICKET
    )
    assert created["ticket"]["status"] == "OPEN"
    assert created["ticket"]["deviceId"] == world.id("device:A1a")
    assert resolved["ticket"]["status"] == "RESOLVED"
    assert reopened["ticket"]["resolvedAt"] is None


async def test_fault_ticket_assignee_of_other_agent_is_not_found(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await _mutate(
        gql, world, "agentA", "faultTicketCreate", f'input: {{lotId: "{world.id("lot:A1a")}", title: "gate"}}', TICKET
    )
    args = f'id: "{created["ticket"]["id"]}", input: {{assigneeId: "{world.id("operator:agentB")}"}}'
    result = await _mutate(gql, world, "agentA", "faultTicketUpdate", args, "")
    assert (result["code"], result["field"]) == ("NOT_FOUND", "assigneeId")


async def test_resolving_stamps_the_given_now(db: Database) -> None:
    # given an open ticket
    world = await build_world(db)
    actor = Actor.system()
    now = datetime(2030, 5, 1, 8, 30, tzinfo=UTC)
    async with db.transaction(Scope.internal()) as s:
        ticket = await faults.create_ticket(s, actor, FaultTicketCreate(lot_id=world.id("lot:A1a"), title="gate"))
        ticket_id = str(ticket.id)
    # when it is resolved
    async with db.transaction(Scope.internal()) as s:
        resolved = await faults.update_ticket(
            s, actor, ticket_id, FaultTicketUpdate(status=FaultStatus.RESOLVED), now=now
        )
        resolved_at = resolved.resolved_at
    # then the resolution time is exactly now
    assert resolved_at == now
