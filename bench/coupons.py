"""`python -m bench coupons`: coupon quotes per second in one process and coupon issues per second on PostgreSQL,
each beside its ceiling measured in the same run.

Prints one line: ``{"bench": "coupons", "quotes_per_s", "quote_ceiling_per_s", "quote_ratio", "issues_per_s",
"issue_ceiling_per_s", "issue_ratio", ...}``.
- Quotes (goal ≥ 10,000/s): a stay's bill with 3 stacked coupons (a free start, a discount rate and an amount off)
  on the sample tariffs. The ceiling is the same stays' bills without coupons: what the tariff alone costs.
- Issues (goal ≥ 300/s): what ``couponIssue`` does below GraphQL: one transaction under a merchant operator's
  scope (``parking.merchants.coupons.issue``: the checks, the conditional take from stock, the coupon, its audit
  entry). Workers issue concurrently, each for one of several merchants, as shops of a busy mall do; a merchant's
  own issues queue on its stock row. The ceiling is the same writes as hand-written SQL on asyncpg (the
  conditional decrement and the insert, one transaction each) with as many connections.
``issues_per_s(db, seconds)`` is the issue measurement alone, for a caller that has its database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from bench.common import scratch_database
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope, ScopeLevel
from parking.merchants import coupons
from parking.merchants.inputs import CouponIssue
from parking.merchants.models import CouponKind, CouponStock, CouponTemplate, Merchant, StockSource
from parking.merchants.terms import CouponTerms
from parking.sessions.billing import BillFacts, bill
from parking.tariffs.samples import ALL, CST
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


def _cases(n: int, seed: int) -> list[tuple[BillFacts, datetime]]:
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=CST)
    tariffs = [[make()] for make in ALL.values()]
    out = []
    for i in range(n):
        entry = base + timedelta(seconds=rng.randrange(365 * 86_400))
        coupons = (
            CouponTerms(3 * i + 1, CouponKind.MINUTES, rng.choice((30, 60, 120, 180)), entry, template_id=1),
            CouponTerms(3 * i + 2, CouponKind.PERCENT, rng.choice((50, 80, 90)), entry, template_id=2),
            CouponTerms(3 * i + 3, CouponKind.AMOUNT, rng.choice((200, 500, 1000)), entry, template_id=3),
        )
        facts = BillFacts(entry_at=entry, timezone="Asia/Shanghai", tariffs=tariffs[i % len(tariffs)], coupons=coupons)
        out.append((facts, entry + timedelta(seconds=rng.randrange(600, 12 * 3600))))
    return out


def _quotes_per_s(cases: list[tuple[BillFacts, datetime]]) -> float:
    for facts, now in cases[:1000]:  # warm the tariff schedule caches, as a long-running server has them
        bill(facts, now)
    start = time.perf_counter()
    for facts, now in cases:
        bill(facts, now)
    return len(cases) / (time.perf_counter() - start)


def _without_coupons(cases: list[tuple[BillFacts, datetime]]) -> list[tuple[BillFacts, datetime]]:
    return [(BillFacts(entry_at=f.entry_at, timezone=f.timezone, tariffs=f.tariffs), now) for f, now in cases]


_RAW_TAKE = """UPDATE coupon_stocks SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0 RETURNING id"""
_RAW_COUPON = """INSERT INTO coupons (agent_id, customer_id, lot_id, merchant_id, template_id, stock_id, code, source,
 kind, value, max_per_stay, stackable, status, plate, valid_from, valid_until, discount_fen, created_at, updated_at)
 VALUES ($1, $2, $3, $4, $5, $6, $7, 'merchant', 'amount', 500, 1, true, 'issued', $8, $9, $10, 0, $9, $9)"""


async def _issue_ceiling(url: str, db: Database, seconds: float, workers: int, merchants: int) -> float:
    """The issue's writes as hand-written SQL: the conditional take from a stock and the coupon's insert."""
    import asyncpg

    await _merchants(db, merchants)  # stocks of their own, as the measured run had
    async with db.session(Scope.internal()) as s:
        stocks = list(
            await s.execute(
                select(
                    CouponStock.id,
                    CouponStock.agent_id,
                    CouponStock.customer_id,
                    CouponStock.lot_id,
                    CouponStock.merchant_id,
                    CouponStock.template_id,
                )
                .order_by(CouponStock.id.desc())
                .limit(merchants)
            )
        )
    pool = await asyncpg.create_pool(
        url.replace("postgresql+asyncpg://", "postgresql://"), min_size=workers, max_size=workers
    )
    deadline = time.perf_counter() + seconds
    issued = 0

    async def worker(index: int) -> None:
        nonlocal issued
        stock = stocks[index % len(stocks)]
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            now = utcnow()
            async with pool.acquire() as conn, conn.transaction():
                await conn.fetchval(_RAW_TAKE, stock.id)
                code = "C" + secrets.token_hex(5).upper()
                plate = f"京A{(index * 7919 + n) % 100_000:05d}"
                await conn.execute(
                    _RAW_COUPON,
                    stock.agent_id,
                    stock.customer_id,
                    stock.lot_id,
                    stock.merchant_id,
                    stock.template_id,
                    stock.id,
                    code,
                    plate,
                    now,
                    now + timedelta(days=1),
                )
            issued += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker(i) for i in range(workers)))
    finally:
        await pool.close()
    return issued / (time.perf_counter() - started)


async def _measure_issues(seconds: float, workers: int, merchants: int) -> tuple[float, float]:
    db, url = await scratch_database("coupons")
    try:
        if db.is_sqlite:
            raise SystemExit(
                f"bench coupons needs PostgreSQL; {url} is not (start it or set PARKCLOUD_TEST_POSTGRES_URL)"
            )
        await issues_per_s(db, min(2.0, seconds), workers=workers, merchants=merchants)  # warm-up
        measured = await issues_per_s(db, seconds, workers=workers, merchants=merchants)
        ceiling = await _issue_ceiling(url, db, seconds, workers, merchants)
        return measured, ceiling
    finally:
        await db.dispose()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench coupons")
    parser.add_argument("--quotes", type=int, default=20_000, help="stays to bill, with and without coupons")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to issue, and to issue raw")
    parser.add_argument("--workers", type=int, default=8, help="issues in flight at once")
    parser.add_argument("--merchants", type=int, default=8, help="merchants the workers issue for")
    args = parser.parse_args(argv)
    cases = _cases(args.quotes, seed=5)
    quotes = _quotes_per_s(cases)
    quote_ceiling = _quotes_per_s(_without_coupons(cases))
    issues, issue_ceiling = asyncio.run(_measure_issues(args.seconds, args.workers, args.merchants))
    print(
        json.dumps(
            {
                "bench": "coupons",
                "quotes_per_s": round(quotes),
                "quote_ceiling_per_s": round(quote_ceiling),
                "quote_ratio": round(quotes / quote_ceiling, 3),
                "issues_per_s": round(issues, 1),
                "issue_ceiling_per_s": round(issue_ceiling, 1),
                "issue_ratio": round(issues / issue_ceiling, 3) if issue_ceiling else None,
                "workers": args.workers,
            },
            separators=(",", ":"),
        )
    )
