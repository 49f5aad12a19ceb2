"""`python -m bench payments`: verified payment callbacks processed per second, end to end, on PostgreSQL.

Prints exactly ``{"bench": "payments", "callbacks_per_s": N}``. Each callback is a freshly signed WeChat Pay
TRANSACTION.SUCCESS for its own order posted to the notify URL (see ``bench._callbacks``). PostgreSQL is
required (``PARKCLOUD_TEST_POSTGRES_URL``'s server): the number is meant for the production database.
The parts in isolation (verify, decrypt, state machine, signed create) are `python -m bench payment_parts`.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from bench._callbacks import measure_callbacks
from bench.common import scratch_database


async def _measure(count: int, concurrency: int) -> float:
    db, url = await scratch_database("payments")
    try:
        if db.is_sqlite:
            raise SystemExit(
                f"bench payments needs PostgreSQL; {url} is not (start it or set PARKCLOUD_TEST_POSTGRES_URL)"
            )
        result = await measure_callbacks(db, count, concurrency)
    finally:
        await db.dispose()
    if result["callbacks_refused"]:
        raise SystemExit(f"{result['callbacks_refused']} of {count} callbacks were refused: the number would be wrong")
    return float(result["callbacks_per_s"])


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench payments")
    parser.add_argument("--callbacks", type=int, default=400, help="verified callbacks into the database")
    parser.add_argument("--concurrency", type=int, default=8, help="callbacks in flight at once")
    args = parser.parse_args(argv)
    rate = asyncio.run(_measure(args.callbacks, args.concurrency))
    print(json.dumps({"bench": "payments", "callbacks_per_s": rate}))
