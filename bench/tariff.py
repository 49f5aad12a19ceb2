"""Tariff engine throughput: quotes per second for random stays up to 72 h on the sample tariffs."""

from __future__ import annotations

import json
import random
import time
from datetime import datetime, timedelta

from parking.plates import PlateColor
from parking.tariffs.compiled import compile_tariff
from parking.tariffs.document import VehicleClass
from parking.tariffs.engine import quote
from parking.tariffs.samples import ALL, CST
from parking.tariffs.stay import Stay

_COLORS = [PlateColor.BLUE, PlateColor.BLUE, PlateColor.YELLOW, PlateColor.GREEN]


def _stays(n: int, seed: int) -> list[Stay]:
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=CST)
    classes = list(VehicleClass)
    out = []
    for _ in range(n):
        entry = base + timedelta(seconds=rng.randrange(365 * 86_400))
        out.append(
            Stay(
                entry,
                entry + timedelta(seconds=rng.randrange(72 * 3600 + 1)),
                rng.choice(classes),
                rng.choice(_COLORS),
            )
        )
    return out


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 20_000
    compiled = [compile_tariff(make()) for make in ALL.values()]
    stays = _stays(n, seed=3)
    # Warm-up fills the per-date schedule caches, as in a long-running server.
    for ct in compiled:
        for stay in stays[:1000]:
            quote(stay, ct)
    start = time.perf_counter()
    count = 0
    for ct in compiled:
        for stay in stays:
            quote(stay, ct)
            count += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"bench": "tariff", "quotes_per_s": round(count / elapsed)}, separators=(",", ":")))
