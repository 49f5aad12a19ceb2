"""A small multi-tenant world for tests: two agents, their customers and lots, and operators at every scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import insert

from parking.accounts.auth import hash_password, issue_token
from parking.accounts.models import Operator, Role, operator_lots
from parking.accounts.permissions import ALL_PERMISSIONS
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Agent, Customer, Lane, Lot

PASSWORD = "correct horse 42"
# Hashing once keeps each test from paying argon2's cost per operator.
PASSWORD_HASH = hash_password(PASSWORD)
SECRET = "test-secret-key"


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def id(self, name: str) -> str:
        return str(self.ids[name])


async def build_world(db: Database, *, all_permissions_for: tuple[str, ...] = ()) -> World:
    """Agents A and B; A has customers A1 (lots A1a, A1b) and A2 (lot A2a); B has B1 (lot B1a).

    Operators: platform, agentA, custA1, lotA1a (only lot A1a), agentB, and 'viewer' (agent A, no permissions).
    """
    world = World()
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        all_role = Role(name="all", permissions=sorted(ALL_PERMISSIONS), scope_level=ScopeLevel.PLATFORM)
        none_role = Role(name="none", permissions=[], scope_level=ScopeLevel.PLATFORM)
        s.add_all([all_role, none_role])
        agents = {n: Agent(name=f"Agent {n}") for n in ("A", "B")}
        s.add_all(agents.values())
        await s.flush()
        customers = {
            "A1": Customer(agent_id=agents["A"].id, name="Customer A1"),
            "A2": Customer(agent_id=agents["A"].id, name="Customer A2"),
            "B1": Customer(agent_id=agents["B"].id, name="Customer B1"),
        }
        s.add_all(customers.values())
        await s.flush()
        lots = {}
        for name, cust in (("A1a", "A1"), ("A1b", "A1"), ("A2a", "A2"), ("B1a", "B1")):
            c = customers[cust]
            lots[name] = Lot(agent_id=c.agent_id, customer_id=c.id, name=f"Lot {name}", code=f"L{name}", capacity=100)
        s.add_all(lots.values())
        await s.flush()
        for name, lot in lots.items():
            lane = Lane(
                agent_id=lot.agent_id,
                customer_id=lot.customer_id,
                lot_id=lot.id,
                name=f"In {name}",
                direction=LaneDirection.ENTRY,
                qr_token=f"qr-{name}",
            )
            s.add(lane)
            await s.flush()
            world.ids[f"lane:{name}"] = lane.id
        operators = {
            "platform": Operator(scope_level=ScopeLevel.PLATFORM),
            "agentA": Operator(scope_level=ScopeLevel.AGENT, agent_id=agents["A"].id),
            "custA1": Operator(
                scope_level=ScopeLevel.CUSTOMER, agent_id=agents["A"].id, customer_id=customers["A1"].id
            ),
            "lotA1a": Operator(scope_level=ScopeLevel.LOT, agent_id=agents["A"].id, customer_id=customers["A1"].id),
            "agentB": Operator(scope_level=ScopeLevel.AGENT, agent_id=agents["B"].id),
            "viewer": Operator(scope_level=ScopeLevel.AGENT, agent_id=agents["A"].id),
        }
        for username, op in operators.items():
            op.username = username
            op.display_name = username
            op.password_hash = PASSWORD_HASH
            op.role_id = none_role.id if username == "viewer" else all_role.id
        s.add_all(operators.values())
        await s.flush()
        await s.execute(insert(operator_lots), [{"operator_id": operators["lotA1a"].id, "lot_id": lots["A1a"].id}])
        for name, row in {**agents, **{f"agent:{k}": v for k, v in agents.items()}}.items():
            world.ids[name if name.startswith("agent:") else f"agent:{name}"] = row.id
        world.ids.update({f"customer:{k}": v.id for k, v in customers.items()})
        world.ids.update({f"lot:{k}": v.id for k, v in lots.items()})
        world.ids.update({f"operator:{k}": v.id for k, v in operators.items()})
        world.ids["role:all"] = all_role.id
        world.ids["role:none"] = none_role.id
        for username, op in operators.items():
            world.tokens[username] = issue_token(SECRET, op, now, 3600)
    return world
