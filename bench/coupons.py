"""Coupon bills: quotes per second of a stay's bill with 3 stacked coupons (a free start, a discount rate and an
amount off), in one process, on the sample tariffs (goal ≥ 10,000/s)."""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta

from parking.merchants.models import CouponKind
from parking.merchants.terms import CouponTerms
from parking.sessions.billing import BillFacts, bill
from parking.tariffs.samples import ALL, CST


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


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 20_000
    cases = _cases(n, seed=5)
    for facts, now in cases[:1000]:  # warm the tariff schedule caches, as a long-running server has them
        bill(facts, now)
    start = time.perf_counter()
    for facts, now in cases:
        bill(facts, now)
    elapsed = time.perf_counter() - start
    print(json.dumps({"bench": "coupons", "quotes_per_s": round(n / elapsed)}, separators=(",", ":")))
