"""`python -m bench coupons`: coupons issued per second on PostgreSQL (goal ≥ 300/s).

Prints exactly ``{"bench": "coupons", "issues_per_s": N}``. Each issue is what ``couponIssue`` does below
GraphQL: one transaction under a merchant operator's scope (``parking.merchants.coupons.issue``: the checks,
the conditional take from stock, the coupon, its audit entry). Workers issue concurrently, each for one of
several merchants, as shops of a busy mall do; a merchant's own issues queue on its stock row.
``issues_per_s(db, seconds)`` is the measurement alone, for a caller that has its database (the integrator's
joint timing).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import time

from bench.common import scratch_database
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope, ScopeLevel
from parking.merchants import coupons
from parking.merchants.inputs import CouponIssue
from parking.merchants.models import CouponKind, CouponStock, CouponTemplate, Merchant, StockSource
from parking.tenancy.models import Agent, Customer, Lot

STOCK = 1_000_000  # never the limit of a run


async def _merchants(db: Database, count: int) -> tuple[list[Actor], list[CouponIssue]]:
    """``count`` merchants of a bench lot with a large stock each, and an actor and request per merchant."""
    tag = secrets.token_hex(4)  # a tenant of its own: the caller's database may hold other bench tenants
    async with db.transaction(Scope.internal()) as s:
        agent = Agent(name=f"bench coupons {tag}")
        s.add(agent)
        await s.flush()
        customer = Customer(agent_id=agent.id, name=f"bench coupons {tag}")
        s.add(customer)
        await s.flush()
        lot = Lot(
            agent_id=agent.id, customer_id=customer.id, name=f"bench coupons {tag}", code=f"C{tag}", capacity=1000
        )
        s.add(lot)
        await s.flush()
        owner = {"agent_id": agent.id, "customer_id": customer.id, "lot_id": lot.id}
        template = CouponTemplate(**owner, name="bench", kind=CouponKind.AMOUNT, value=500, price_fen=300)
        merchants = [Merchant(**owner, name=f"bench {i}") for i in range(count)]
        s.add_all([template, *merchants])
        await s.flush()
        s.add_all(
            CouponStock(
                **owner,
                merchant_id=m.id,
                template_id=template.id,
                source=StockSource.CREDIT,
                quantity=STOCK,
                remaining=STOCK,
            )
            for m in merchants
        )
    actors = [
        Actor(
            name=f"bench-merchant-{m.id}",
            scope=Scope(
                ScopeLevel.LOT, owner["agent_id"], owner["customer_id"], frozenset({owner["lot_id"]}), merchant_id=m.id
            ),
            permissions=frozenset({"coupons.issue"}),
        )
        for m in merchants
    ]
    requests = [CouponIssue(merchant_id=str(m.id), template_id=str(template.id), plate="京A00000") for m in merchants]
    return actors, requests


async def issues_per_s(db: Database, seconds: float, *, workers: int = 8, merchants: int = 8) -> float:
    """Coupons issued per second by ``workers`` concurrent issuers over ``seconds`` (setup not counted)."""
    actors, requests = await _merchants(db, merchants)
    deadline = time.perf_counter() + seconds
    issued = 0

    async def worker(index: int) -> None:
        nonlocal issued
        actor, request, n = actors[index % merchants], requests[index % merchants], 0
        while time.perf_counter() < deadline:
            n += 1
            plate = f"京A{(index * 7919 + n) % 100_000:05d}"
            try:
                async with db.transaction(actor.scope) as s:
                    await coupons.issue(s, actor, request.model_copy(update={"plate": plate}), utcnow())
            except DomainError as err:
                raise RuntimeError(f"a bench issue was refused: {err.message}") from err
            issued += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(workers)))
    return issued / (time.perf_counter() - started)


async def _measure(seconds: float, workers: int, merchants: int) -> float:
    db, url = await scratch_database("coupons")
    try:
        if db.is_sqlite:
            raise SystemExit(
                f"bench coupons needs PostgreSQL; {url} is not (start it or set PARKCLOUD_TEST_POSTGRES_URL)"
            )
        return await issues_per_s(db, seconds, workers=workers, merchants=merchants)
    finally:
        await db.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench coupons")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to issue")
    parser.add_argument("--workers", type=int, default=8, help="issues in flight at once")
    parser.add_argument("--merchants", type=int, default=8, help="merchants the workers issue for")
    args = parser.parse_args(argv)
    rate = asyncio.run(_measure(args.seconds, args.workers, args.merchants))
    print(json.dumps({"bench": "coupons", "issues_per_s": round(rate, 1)}))
