"""The test world of tests/factories.py plus principals at every scope level: operators, roles and API keys.

On top of ``build_world`` (operators platform, agentA, agentB, custA1, lotA1a, viewer): operators custA2,
lotA1b, lotA1ab (lots A1a and A1b), clerkA1 (a narrow role) and mgrA1 (customer A1 with only the managing
permissions); roles owned at every level; and API keys at every level, each usable as a caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import insert

from parking.accounts.auth import issue_token, new_api_key
from parking.accounts.models import ApiKey, Operator, Role, operator_lots
from parking.accounts.permissions import ALL_PERMISSIONS, Perm
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope, ScopeLevel
from parking.models import Base
from tests.factories import PASSWORD_HASH, SECRET, World, build_world

ALL = sorted(ALL_PERMISSIONS)
NARROW = [Perm.RECORDS_VIEW.value]
MANAGER = sorted(
    p.value for p in (Perm.OPERATORS_MANAGE, Perm.ROLES_MANAGE, Perm.API_KEYS_MANAGE, Perm.RECORDS_VIEW, Perm.LOTS_VIEW)
)


@dataclass
class SecurityWorld:
    world: World
    keys: dict[str, str] = field(default_factory=dict)  # API key name -> the full key

    def id(self, name: str) -> str:
        return self.world.id(name)

    def credentials(self, principal: str) -> dict[str, str]:
        """Headers that authenticate as ``principal`` (an operator name or ``key:<name>``)."""
        if principal.startswith("key:"):
            return {"X-Api-Key": self.keys[principal.removeprefix("key:")]}
        return {"Authorization": f"Bearer {self.world.tokens[principal]}"}


async def build_security_world(db: Database) -> SecurityWorld:
    world = await build_world(db)
    ids = world.ids
    agent_a, cust_a1, cust_a2 = ids["agent:A"], ids["customer:A1"], ids["customer:A2"]
    out = SecurityWorld(world)
    async with db.transaction(Scope.internal()) as s:
        roles = {
            "agentRole": Role(name="agent A role", permissions=NARROW, scope_level=ScopeLevel.AGENT, agent_id=agent_a),
            "clerk": Role(name="clerk", permissions=NARROW, **_customer(agent_a, cust_a1)),
            "manager": Role(name="manager", permissions=MANAGER, **_customer(agent_a, cust_a1)),
            "fullA1": Role(name="full A1", permissions=ALL, **_customer(agent_a, cust_a1)),
            "custA2role": Role(name="A2 role", permissions=NARROW, **_customer(agent_a, cust_a2)),
        }
        s.add_all(roles.values())
        await s.flush()
        ids.update({f"role:{name}": role.id for name, role in roles.items()})
        all_role = ids["role:all"]
        operators = {
            "custA2": Operator(role_id=all_role, **_customer(agent_a, cust_a2)),
            "lotA1b": Operator(role_id=all_role, **_customer(agent_a, cust_a1, ScopeLevel.LOT)),
            "lotA1ab": Operator(role_id=all_role, **_customer(agent_a, cust_a1, ScopeLevel.LOT)),
            "clerkA1": Operator(role_id=roles["clerk"].id, **_customer(agent_a, cust_a1)),
            "mgrA1": Operator(role_id=roles["manager"].id, **_customer(agent_a, cust_a1)),
        }
        for username, operator in operators.items():
            operator.username = username
            operator.display_name = username
            operator.password_hash = PASSWORD_HASH
        s.add_all(operators.values())
        await s.flush()
        lot_a1a, lot_a1b = ids["lot:A1a"], ids["lot:A1b"]
        await s.execute(
            insert(operator_lots),
            [
                {"operator_id": operators["lotA1b"].id, "lot_id": lot_a1b},
                {"operator_id": operators["lotA1ab"].id, "lot_id": lot_a1a},
                {"operator_id": operators["lotA1ab"].id, "lot_id": lot_a1b},
            ],
        )
        now = utcnow()
        for username, operator in operators.items():
            ids[f"operator:{username}"] = operator.id
            world.tokens[username] = issue_token(SECRET, operator, now, 3600)
        key_specs = {
            "platform": (Scope.platform(), ALL),
            "agentA": (Scope(ScopeLevel.AGENT, agent_a), ALL),
            "custA1": (Scope(ScopeLevel.CUSTOMER, agent_a, cust_a1), ALL),
            "lotA1a": (Scope(ScopeLevel.LOT, agent_a, cust_a1, frozenset({lot_a1a})), ALL),
            "lotA1b": (Scope(ScopeLevel.LOT, agent_a, cust_a1, frozenset({lot_a1b})), NARROW),
            "custA2": (Scope(ScopeLevel.CUSTOMER, agent_a, cust_a2), NARROW),
        }
        for name, (scope, permissions) in key_specs.items():
            key, prefix, key_hash = new_api_key()
            row = ApiKey(
                name=name,
                prefix=prefix,
                key_hash=key_hash,
                permissions=permissions,
                lot_ids=sorted(scope.lot_ids),
                scope_level=scope.level,
                agent_id=scope.agent_id,
                customer_id=scope.customer_id,
            )
            s.add(row)
            await s.flush()
            ids[f"key:{name}"] = row.id
            out.keys[name] = key
    return out


def _customer(agent_id: int, customer_id: int, level: ScopeLevel = ScopeLevel.CUSTOMER) -> dict[str, object]:
    return {"scope_level": level, "agent_id": agent_id, "customer_id": customer_id}


async def reset(db: Database) -> None:
    """Empty every table for a fresh world (rebuilt with new ids and tokens). DELETE, not TRUNCATE: on
    PostgreSQL truncating every table costs far more than deleting the few rows of a test world."""
    async with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
