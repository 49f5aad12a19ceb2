"""`parkcloud demo` loads what the foundation issue promises, on both databases; the README's admin logs in."""

from __future__ import annotations

import asyncio
import os
import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import ColumnElement, func, select

from parking.accounts.models import Operator
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.demo import _demo_stays
from parking.devices.models import Device, DeviceKind
from parking.merchants.models import Merchant
from parking.sessions.models import ParkingSession
from parking.tenancy.enums import LaneDirection, VehicleCategory
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.vehicles.models import Pass, PassProduct, Vehicle
from tests.conftest import GraphQL

README = Path(__file__).resolve().parents[2] / "README.md"


async def _parkcloud(db: Database, tmp_path: Path, *args: str) -> str:
    """Run the installed command line in a process of its own against the test's database."""
    env = {
        **os.environ,
        "PARKCLOUD_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
        "PARKCLOUD_VAR_DIR": str(tmp_path / "var"),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "api.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    assert proc.returncode == 0, out.decode()
    return out.decode()


def _readme_admin() -> tuple[str, str]:
    """The administrator's credentials as the README's sign-in table shows them."""
    match = re.search(r"^\| `([^`]+)` \| `([^`]+)` \| the whole platform \|$", README.read_text(), re.MULTILINE)
    assert match, "README has no administrator row"
    return match.group(1), match.group(2)


def _readme_row(scope_starts: str) -> tuple[str, str]:
    """The credentials of the README's sign-in row whose scope starts with ``scope_starts``."""
    pattern = rf"^\| `([^`]+)` \| `([^`]+)` \| {re.escape(scope_starts)}"
    match = re.search(pattern, README.read_text(), re.MULTILINE)
    assert match, f"README has no row for {scope_starts}"
    return match.group(1), match.group(2)


async def _counts(db: Database) -> dict[str, int]:
    async with db.transaction(Scope.internal()) as s:

        async def n(model: Any, *where: ColumnElement[bool]) -> int:
            return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)

        return {
            "agents": await n(Agent),
            "customers": await n(Customer),
            "lots": await n(Lot),
            "inner lots": await n(Area, Area.is_inner.is_(True)),
            "lanes": await n(Lane),
            "monthly vehicles": await n(Vehicle),
            "sessions": await n(ParkingSession),
        }


async def test_demo_loads_the_promised_data_and_the_readme_admin_logs_in(
    db: Database, gql: GraphQL, tmp_path: Path
) -> None:
    # Given an empty database, when `parkcloud demo` runs:
    out = await _parkcloud(db, tmp_path, "demo")
    assert out.strip().endswith("demo data loaded")
    counts = await _counts(db)
    assert {k: v for k, v in counts.items() if k != "sessions"} == {
        "agents": 2,
        "customers": 3,
        "lots": 5,
        "inner lots": 1,
        "lanes": 20,
        "monthly vehicles": 300,
    }
    now = utcnow()
    async with db.transaction(Scope.internal()) as s:
        # One lot has the inner lot, and the inner lot has its own entry and exit lanes.
        inner = list(await s.scalars(select(Area).where(Area.is_inner.is_(True))))
        inner_lanes = await s.scalars(select(Lane.direction).where(Lane.area_id == inner[0].id))
        assert sorted(d.value for d in inner_lanes) == sorted([LaneDirection.ENTRY.value, LaneDirection.EXIT.value])
        # Every lane has a camera and a controller; exits also have a display.
        lanes = {lane.id: lane.direction for lane in await s.scalars(select(Lane))}
        kinds: dict[int, set[DeviceKind]] = {lane_id: set() for lane_id in lanes}
        for lane_id, kind in await s.execute(select(Device.lane_id, Device.kind)):
            assert lane_id is not None
            kinds[lane_id].add(kind)
        expected = {
            lane_id: {DeviceKind.CAMERA, DeviceKind.CONTROLLER}
            | ({DeviceKind.DISPLAY} if direction is LaneDirection.EXIT else set())
            for lane_id, direction in lanes.items()
        }
        assert kinds == expected
        # Each of the 300 vehicles holds a monthly pass.
        monthly = select(func.count(func.distinct(Pass.vehicle_id))).join(
            PassProduct, Pass.product_id == PassProduct.id
        )
        assert await s.scalar(monthly.where(PassProduct.category == VehicleCategory.MONTHLY)) == 300
        # Sessions on each of the lot's 30 local days before today and today's so far, and on no other day.
        shanghai = ZoneInfo("Asia/Shanghai")  # every demo lot's time zone
        entries = list(await s.scalars(select(ParkingSession.entry_at)))
        today = now.astimezone(shanghai).date()
        days = {at.astimezone(shanghai).date() for at in entries}
        before_today = {today - timedelta(days=d) for d in range(1, 31)}
        assert before_today <= days <= before_today | {today}
        assert max(entries) <= now
    assert counts["sessions"] == len(entries)

    # The administrator whose credentials the README shows logs in and sees the whole platform.
    username, password = _readme_admin()
    login = await gql(
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { ... on LoginSuccess { token } } }",
        {"u": username, "p": password},
    )
    token = login["data"]["login"]["token"]
    body = await gql("{ me { name scopeLevel } lots(first: 100) { items { name } } }", token=token)
    assert body["data"]["me"]["scopeLevel"] == "PLATFORM"
    assert len(body["data"]["lots"]["items"]) == 5

    # The README's merchant operator logs in and sees its own merchant's coupons, stock and code, nobody else's.
    shop_user, shop_password = _readme_row("a merchant's operator")
    shop = await gql(
        "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { ... on LoginSuccess { token } } }",
        {"u": shop_user, "p": shop_password},
    )
    shop_token = shop["data"]["login"]["token"]
    seen = await gql(
        "{ me { merchantId } coupons(first: 100) { items { merchantId status plate } }"
        " couponStocks { items { merchantId remaining } } parkingCodes { items { kind merchantId } } }",
        token=shop_token,
    )
    assert "errors" not in seen, seen
    merchant_id = seen["data"]["me"]["merchantId"]
    issued = [c for c in seen["data"]["coupons"]["items"] if c["status"] == "ISSUED"]
    assert issued
    assert {c["merchantId"] for c in seen["data"]["coupons"]["items"]} == {merchant_id}
    assert {s["merchantId"] for s in seen["data"]["couponStocks"]["items"]} == {merchant_id}
    assert seen["data"]["parkingCodes"]["items"] == [{"kind": "MERCHANT", "merchantId": merchant_id}]
    async with db.session(Scope.internal()) as s:
        assert await s.scalar(select(func.count()).select_from(Merchant)) == 3
        # coupons given today went to cars inside now
        inside = set(await s.scalars(select(ParkingSession.plate).where(ParkingSession.exit_at.is_(None))))
        assert {c["plate"] for c in issued} <= inside

    # Loading again with --if-empty leaves the data as it is.
    out = await _parkcloud(db, tmp_path, "demo", "--if-empty")
    assert out.strip().endswith("database not empty: demo data not loaded")
    assert await _counts(db) == counts
    async with db.transaction(Scope.internal()) as s:
        assert await s.scalar(select(func.count()).select_from(Operator).where(Operator.username == username)) == 1


@pytest.mark.parametrize("hour", range(24))
def test_a_demo_loaded_at_any_hour_has_cars_inside(hour: int) -> None:
    # Stop 26's CI loaded the demo at 01:10 in Shanghai, when no visitor of the day before was still inside: the
    # merchants had no car to give coupons to. Overnight residents keep a lot occupied at night, as in life.
    now = datetime(2026, 12, 7, hour, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    stays = list(_demo_stays(random.Random(hour), now, 30, 120, has_monthly=True))
    inside = [entry for entry, stay, _ in stays if entry < now <= entry + stay]
    assert inside
    assert all(entry.tzinfo is not None for entry, _, _ in stays)
