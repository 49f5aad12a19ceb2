"""Two dashboard builds side by side: interleaved cold loads of the same pages, to tell a change from noise.

``python -m bench web_ab ROUNDS DIST_A DIST_B [PATH...]`` serves each build (a `vite build --outDir` folder) from
its own server over one demo database and opens every page cold (`bench.web`'s fresh context and TTI probe) in
both, A first on even rounds and B first on odd ones, so a slow spell of the shared machine lands on both.
Prints one JSON line per page (each build's loads and p50, and in how many rounds B was faster) and a summary.
On a 2-core machine whose load moves by the minute, one `bench web` run before and one after a change differ
by more than most changes do; pairs measured seconds apart do not.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from bench.web import cold, dashboard_paths, demo_database, sign_in, stop
from tests.web.conftest import CHROMIUM_FLAGS, start_server


async def _run(rounds: int, chromium: str, dists: dict[str, Path], only: list[str]) -> list[dict[str, Any]]:
    db_url = await demo_database("web_ab")
    paths = only or dashboard_paths()
    loads: dict[str, dict[str, list[float | None]]] = {build: {p: [] for p in paths} for build in dists}
    machine: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-web-ab-") as tmp:
        servers = {
            build: await asyncio.to_thread(start_server, db_url, Path(tmp) / build, dist)
            for build, dist in dists.items()
        }
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
                storage = {build: Path(tmp) / f"{build}.json" for build in dists}
                for build, (_, url) in servers.items():
                    await sign_in(browser, url, storage[build])
                    for path in paths:  # one unmeasured pass warms each server
                        await cold(browser, url, storage[build], path)
                for n in range(rounds):
                    machine.append(os.getloadavg()[0])
                    order = ["A", "B"] if n % 2 == 0 else ["B", "A"]
                    for path in paths:
                        for build in order:
                            state = await cold(browser, servers[build][1], storage[build], path)
                            loads[build][path].append(state["tti_ms"])
                await browser.close()
        finally:
            for server, _ in servers.values():
                stop(server)
    lines: list[dict[str, Any]] = []
    all_a: list[float] = []
    all_b: list[float] = []
    faster = pairs = 0
    for path in paths:
        a, b = loads["A"][path], loads["B"][path]
        done = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
        wins = sum(y < x for x, y in done)
        faster, pairs = faster + wins, pairs + len(done)
        all_a += [x for x, _ in done]
        all_b += [y for _, y in done]
        shown = {k: [None if x is None else round(x) for x in v] for k, v in (("A", a), ("B", b))}
        line: dict[str, Any] = {"bench": "web_ab", "page": path, **shown, "B_faster": f"{wins}/{len(done)}"}
        if done:
            line |= {
                "A_p50": round(statistics.median(x for x, _ in done)),
                "B_p50": round(statistics.median(y for _, y in done)),
            }
        lines.append(line)
    lines.append(
        {
            "bench": "web_ab",
            "pages": len(paths),
            "rounds": rounds,
            "A": str(dists["A"]),
            "B": str(dists["B"]),
            "A_cold_p50_ms": round(statistics.median(all_a)) if all_a else None,
            "B_cold_p50_ms": round(statistics.median(all_b)) if all_b else None,
            "B_faster": f"{faster}/{pairs}",
            "loadavg_1m": [round(x, 2) for x in machine],
            "cpus": os.cpu_count(),
        }
    )
    return lines


def main(argv: list[str]) -> None:
    if len(argv) < 3:
        raise SystemExit("usage: python -m bench web_ab ROUNDS DIST_A DIST_B [PATH...]")
    rounds, dists, only = int(argv[0]), {"A": Path(argv[1]), "B": Path(argv[2])}, argv[3:]
    chromium = os.environ.get("PARKCLOUD_TEST_CHROMIUM", "/usr/bin/chromium")
    missing = [str(d) for d in dists.values() if not (d / "index.html").exists()]
    if missing:
        raise SystemExit(f"no index.html in {', '.join(missing)}: build with `npx vite build --outDir DIR`")
    for line in asyncio.run(_run(rounds, chromium, dists, only)):
        print(json.dumps(line, ensure_ascii=False), flush=True)
