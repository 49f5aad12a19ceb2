"""The cloud-seat console under simulated traffic: 80 lanes, real camera pushes through the API at 10 readings
per second (api/simulate.py), watched in chromium. Every lane tile ends on the lane's newest reading. The frame
timings seen by the page are recorded in var/test-artifacts/web/console-perf-<backend>.json (numbers for the
report, not assertions: timings belong to bench/ and vary with the machine)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.async_api import Page, expect

from api.simulate import run_traffic
from parking.common.database import Database
from parking.common.scope import Scope
from parking.tariffs.document import VehicleClass
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import DeviceKind, LaneDirection
from parking.tenancy.models import Customer, Device, Lane, Lot
from tests.factories import SECRET, World
from tests.lanes.site import flat_tariff
from tests.web.conftest import ARTIFACTS, LiveApi, login, shot_path

pytestmark = pytest.mark.browser

LANES = 80
STREAMS = 4  # parallel simulators: one waits for each camera reply, so one alone cannot keep 10/s here
EVENTS_PER_STREAM = 40
RATE_PER_S = 10.0

LATEST = """
query ($lotId: ID!) { laneEvents(filter: { lotId: $lotId }, first: 100) { items { id laneId plate at } } }
"""

# Frame gaps (requestAnimationFrame) and long tasks (> 50 ms on the main thread) while traffic flows.
PERF_PROBE = """
() => {
  const perf = { gaps: [], longTasks: 0, longTaskMs: 0, stop: false };
  window.__perf = perf;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { perf.longTasks += 1; perf.longTaskMs += e.duration; }
  }).observe({ type: 'longtask' });
  let last = performance.now();
  const tick = (t) => { perf.gaps.push(t - last); last = t; if (!perf.stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}
"""


async def add_simulated_lot(db: Database, world: World) -> int:
    """A lot of customer A1 with 40 entry and 40 exit lanes, each with a simulated camera, and a tariff."""
    async with db.transaction(Scope.internal()) as s:
        customer = await s.get(Customer, world.ids["customer:A1"])
        assert customer is not None
        lot = Lot(agent_id=customer.agent_id, customer_id=customer.id, name="Sim 80", code="SIM80", capacity=5000)
        s.add(lot)
        await s.flush()
        tenant = {"agent_id": customer.agent_id, "customer_id": customer.id, "lot_id": lot.id}
        for i in range(LANES):
            entry = i % 2 == 0
            lane = Lane(
                **tenant,
                name=f"{'入口' if entry else '出口'}{i:02d}",
                direction=LaneDirection.ENTRY if entry else LaneDirection.EXIT,
                qr_token=f"sim-{i}",
            )
            s.add(lane)
            await s.flush()
            s.add(
                Device(
                    **tenant,
                    lane_id=lane.id,
                    kind=DeviceKind.CAMERA,
                    name=f"camera {i:02d}",
                    serial=f"SIM-{i:03d}",
                    protocol="vzenith",
                    config={"simulated": True},
                )
            )
        s.add(
            TariffVersion(
                **tenant,
                vehicle_class=VehicleClass.SMALL,
                name="flat",
                version=1,
                effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                document=flat_tariff().model_dump(mode="json"),
            )
        )
        return lot.id


async def test_eighty_lanes_at_ten_readings_per_second_show_live_on_the_console(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    lot_id = await add_simulated_lot(db, live_api.world)
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/console")
    await page.locator(".console .toolbar .el-select").first.click()
    await page.get_by_role("option", name="Sim 80").click()
    grid = page.locator("[data-test=lane-grid]")
    await expect(grid.locator(".tile")).to_have_count(LANES)
    await page.evaluate(PERF_PROBE)

    started = asyncio.get_running_loop().time()
    streams = [
        run_traffic(
            db, live_api.url, SECRET, events_per_s=RATE_PER_S / STREAMS, seed=seed, max_events=EVENTS_PER_STREAM
        )
        for seed in range(STREAMS)
    ]
    pushed = sum(await asyncio.gather(*streams))
    elapsed = asyncio.get_running_loop().time() - started
    assert pushed == STREAMS * EVENTS_PER_STREAM

    body: dict[str, Any] = live_api.gql(LATEST, {"lotId": str(lot_id)}, token=live_api.world.tokens["platform"])
    newest: dict[str, str] = {}
    for event in body["data"]["laneEvents"]["items"]:  # newest first
        newest.setdefault(event["laneId"], event["plate"])
    assert newest
    for lane_id, plate in newest.items():
        await expect(grid.locator(f"[data-lane='{lane_id}'] [data-test=plate]")).to_have_text(plate)
    await page.screenshot(path=shot_path(request, "console-80-lanes"), full_page=True)

    perf: dict[str, Any] = await page.evaluate("() => { window.__perf.stop = true; return window.__perf }")
    gaps = sorted(perf["gaps"])
    report = {
        "lanes": LANES,
        "readings": pushed,
        "readings_per_s": round(pushed / elapsed, 1),
        "frames": len(gaps),
        "frame_gap_p50_ms": round(gaps[len(gaps) // 2], 1),
        "frame_gap_p95_ms": round(gaps[int(len(gaps) * 0.95)], 1),
        "frame_gap_max_ms": round(gaps[-1], 1),
        "long_tasks": perf["longTasks"],
        "long_task_ms": round(perf["longTaskMs"], 1),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    backend = live_api.backend
    (ARTIFACTS / f"console-perf-{backend}.json").write_text(json.dumps(report, indent=2))
    print(f"console under load ({backend}): {json.dumps(report)}")
