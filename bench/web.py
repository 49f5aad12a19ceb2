"""Dashboard time to interactive: every page of the web client, in Debian's chromium, with the demo data.

The real server (uvicorn with the app factory, as the browser tests start it) serves the built dashboard
(`clients/web/dist`) over a scratch database holding the demo set (`parking/demo.py`, as `make run` loads
it). The demo administrator signs in once; then every route of the router (`clients/web/src/routes.ts`,
except the login and no-access pages) is opened:

- cold: a fresh browser context (empty HTTP cache, nothing in memory) holding only the sign-in token opens
  ``/#/<path>`` directly: the app loads, asks `me`, loads the page's chunk, asks the page's data;
- warm: one context that already shows the overview changes ``location.hash`` to the page (in-app navigation:
  the router swaps the view, the shell and shared chunks stay).

Time to interactive (TTI) of one load, measured inside the page (`PROBE`): from the start (navigation start
for cold, the hash change for warm) to the last activity before the page went quiet, where activity is a DOM
change (outside SVG, whose chart animations are painting not loading), a `fetch` started or its body read
(every GraphQL request and picture), or the end of a long task (PerformanceObserver `longtask`). Quiet means
no request pending and no activity for `QUIET_MS`, with the page's view mounted in ``#main`` and no loading
mask showing. So TTI is the moment the main content is rendered with its data and the main thread is free.

Prints one JSON line per page (p50 and max of cold and warm over the rounds, the requests, table rows and
charts of its last load, its slowest request, what its last activity was) and a summary line.
``python -m bench web [ROUNDS [PATH...]]`` (paths: only those pages); the budget is 1 s a page.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from bench.common import scratch_database
from parking.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, load_demo
from tests.web.conftest import CHROMIUM_FLAGS, WEB_DIST, start_server
from tests.zygote import ServerProcess

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ROOT / "clients" / "web" / "src" / "routes.ts"
NOT_PAGES = {"/login", "/no-access"}
BUDGET_MS = 1000.0
QUIET_MS = 500.0
PAGE_TIMEOUT_S = 20.0
ROUNDS = 3

# Installed before any script of the page runs (an init script), so it sees the app's first fetch.
PROBE = """
(() => {
  const s = { pending: 0, start: 0, last: 0, lastWhat: '', requests: [], longTasks: 0, longTaskMs: 0 };
  window.__tti = s;
  const touch = (what, at) => {
    const t = at ?? performance.now();
    if (t >= s.last) { s.last = t; s.lastWhat = what; }
  };
  s.reset = () => {
    s.start = performance.now(); s.last = s.start; s.lastWhat = ''; s.requests = []; s.longTasks = 0; s.longTaskMs = 0;
  };
  const fetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const name = new URL(url, location.href).searchParams.get('operationName') || url.split('?')[0];
    const entry = [name, performance.now(), null];
    s.pending++; s.requests.push(entry); touch('fetch ' + name);
    let response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      s.pending--; touch('fetch failed ' + name);
      throw error;
    }
    response.clone().arrayBuffer().catch(() => null).finally(() => {
      entry[2] = performance.now(); s.pending--; touch('response ' + name);
    });
    return response;
  };
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el || !el.closest('svg')) {
        const cls = el && typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
        touch('dom ' + (el ? el.tagName.toLowerCase() + cls : ''));
        return;
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.startTime + e.duration < s.start) continue;
        s.longTasks++; s.longTaskMs += e.duration; touch('long task', e.startTime + e.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (_) { /* no long task timing: DOM and network only */ }
})();
"""

# Whether the page is ready, and what its main content is.
STATE = """
() => {
  const s = window.__tti, main = document.querySelector('#main');
  const view = main && main.firstElementChild;
  const masks = main ? [...main.querySelectorAll('.el-loading-mask')].filter((m) => m.offsetParent !== null) : [];
  return {
    now: performance.now(), start: s.start, last: s.last, lastWhat: s.lastWhat, pending: s.pending,
    requests: s.requests.length,
    slowest: s.requests.filter((r) => r[2] !== null).map((r) => [r[0], r[2] - r[1]])
      .sort((a, b) => b[1] - a[1])[0] ?? null,
    longTasks: s.longTasks, longTaskMs: s.longTaskMs,
    mounted: !!view && masks.length === 0,
    rows: main ? main.querySelectorAll('.el-table__body tr').length : 0,
    charts: main ? main.querySelectorAll('canvas, .echarts svg, [_echarts_instance_]').length : 0,
    empty: main ? main.querySelectorAll('.el-table__empty-block, .el-empty').length : 0,
    path: location.hash.slice(1),
  };
}
"""


def dashboard_paths() -> list[str]:
    """Every route path of the dashboard's router, in menu order, without the public and no-access pages."""
    paths = re.findall(r"'(/[^']*)'", ROUTES.read_text())
    return [p for p in dict.fromkeys(paths) if p not in NOT_PAGES]


async def settle(page: Page) -> dict[str, Any]:
    """Wait until the page is quiet; its TTI is the last activity before it went quiet (ms from the start)."""
    deadline = time.monotonic() + PAGE_TIMEOUT_S
    while True:
        state: dict[str, Any] = await page.evaluate(STATE)
        if state["mounted"] and state["pending"] == 0 and state["now"] - state["last"] >= QUIET_MS:
            state["tti_ms"] = state["last"] - state["start"]
            return state
        if time.monotonic() > deadline:
            state["tti_ms"] = None
            return state
        await asyncio.sleep(0.05)


async def sign_in(browser: Browser, url: str, storage: Path) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = await context.new_page()
    await page.goto(f"{url}/#/login")
    await page.fill("input[name=username]", DEMO_ADMIN_USERNAME)
    await page.fill("input[name=password]", DEMO_ADMIN_PASSWORD)
    await page.click("[data-test=login-submit]")
    await page.wait_for_function("() => !location.hash.startsWith('#/login') && !!document.querySelector('#main')")
    await context.storage_state(path=str(storage))
    await context.close()


async def new_context(browser: Browser, storage: Path) -> BrowserContext:
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", storage_state=str(storage)
    )
    await context.add_init_script(PROBE)
    return context


async def cold(browser: Browser, url: str, storage: Path, path: str) -> dict[str, Any]:
    context = await new_context(browser, storage)
    try:
        page = await context.new_page()
        await page.goto(f"{url}/#{path}", wait_until="commit")
        await page.wait_for_function("() => !!window.__tti")
        return await settle(page)
    finally:
        await context.close()


async def warm(page: Page, path: str) -> dict[str, Any]:
    await page.evaluate("(path) => { window.__tti.reset(); location.hash = '#' + path }", path)
    return await settle(page)


def _ms(samples: list[float | None]) -> dict[str, float | None]:
    done = [x for x in samples if x is not None]
    if len(done) < len(samples) or not done:
        return {"p50": None, "max": None}
    return {"p50": round(statistics.median(done), 1), "max": round(max(done), 1)}


async def demo_database(name: str) -> str:
    """A scratch database holding the demo set, as `make run` loads it; its URL."""
    db, db_url = await scratch_database(name)
    try:
        await load_demo(db, only_if_empty=False)
    finally:
        await db.dispose()
    return db_url


def stop(server: ServerProcess) -> None:
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


async def _run(rounds: int, chromium: str, only: list[str]) -> list[dict[str, Any]]:
    db_url = await demo_database("web")
    paths = only or dashboard_paths()
    cold_ms: dict[str, list[float | None]] = {p: [] for p in paths}
    warm_ms: dict[str, list[float | None]] = {p: [] for p in paths}
    last: dict[str, dict[str, Any]] = {}
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        server, url = await asyncio.to_thread(start_server, db_url, Path(tmp) / "var", WEB_DIST)
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
                storage = Path(tmp) / "storage.json"
                await sign_in(browser, url, storage)
                # One unmeasured pass warms the server (imports, pools, query plans), as a running site is.
                for path in paths:
                    await cold(browser, url, storage, path)
                for _ in range(rounds):
                    loads.append(os.getloadavg()[0])
                    for path in paths:
                        state = await cold(browser, url, storage, path)
                        cold_ms[path].append(state["tti_ms"])
                    context = await new_context(browser, storage)
                    page = await context.new_page()
                    # Start on the last page, so that the first hash change (to the overview) is a real one.
                    await page.goto(f"{url}/#{paths[-1]}")
                    await settle(page)
                    for path in paths:
                        state = await warm(page, path)
                        warm_ms[path].append(state["tti_ms"])
                        last[path] = state
                    await context.close()
                await browser.close()
        finally:
            stop(server)
    lines: list[dict[str, Any]] = []
    for path in paths:
        c, w, s = _ms(cold_ms[path]), _ms(warm_ms[path]), last[path]
        lines.append(
            {
                "bench": "web",
                "page": path,
                "cold_p50_ms": c["p50"],
                "cold_max_ms": c["max"],
                "warm_p50_ms": w["p50"],
                "warm_max_ms": w["max"],
                "requests": s["requests"],
                "rows": s["rows"],
                "charts": s["charts"],
                "long_task_ms": round(s["longTaskMs"], 1),
                "slowest_request": s["slowest"] and [s["slowest"][0], round(s["slowest"][1], 1)],
                "last_activity": s["lastWhat"],
            }
        )
    worst = [
        line["page"]
        for line in lines
        if any(line[k] is None or line[k] > BUDGET_MS for k in ("cold_max_ms", "warm_max_ms"))
    ]
    lines.append(
        {
            "bench": "web",
            "pages": len(paths),
            "rounds": rounds,
            "budget_ms": BUDGET_MS,
            "cold_p50_ms": round(statistics.median(x for p in paths for x in cold_ms[p] if x is not None), 1),
            "warm_p50_ms": round(statistics.median(x for p in paths for x in warm_ms[p] if x is not None), 1),
            "over_budget": worst,
            "database": db_url.split(":", 1)[0],
            "quiet_ms": QUIET_MS,
            # The machine may be shared: the load average says how quiet it was.
            "loadavg_1m": [round(x, 2) for x in loads],
            "cpus": os.cpu_count(),
        }
    )
    return lines


def main(argv: list[str]) -> None:
    rounds = int(argv[0]) if argv else ROUNDS
    only = argv[1:]  # some pages only, for profiling one
    chromium = os.environ.get("PARKCLOUD_TEST_CHROMIUM", "/usr/bin/chromium")
    if not (WEB_DIST / "index.html").exists():
        lines = [{"bench": "web", "skipped": "no clients/web/dist: run `make clients`"}]
    elif not Path(chromium).exists():
        lines = [{"bench": "web", "skipped": f"no chromium at {chromium}"}]
    else:
        lines = asyncio.run(_run(rounds, chromium, only))
    for line in lines:
        print(json.dumps(line, ensure_ascii=False), flush=True)
