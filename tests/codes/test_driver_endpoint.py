"""The mini-program's ``POST /api/driver/codes/scan``: a logged-in driver scans a signed code."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from parking.common.database import Database
from parking.common.db import utcnow
from parking.drivers import issue_driver_token
from parking.merchants.models import CodeKind
from parking.plates import NO_PLATE
from tests.api.helpers import dump
from tests.codes.helpers import add_shop, make_code, payload
from tests.factories import SECRET
from tests.lanes.site import build_site

pytestmark = pytest.mark.anyio


def _driver(openid: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_driver_token(SECRET, openid, utcnow(), 3600)}"}


async def test_a_driver_scans_a_no_plate_code_in_and_a_merchant_code_for_a_coupon(
    db: Database, client: httpx.AsyncClient
) -> None:
    site = await build_site(db)
    shop = await add_shop(site)
    now = utcnow()
    entry = await make_code(db, site.lot_id, CodeKind.NO_PLATE, now, lane_id=site.ids["in"])
    await site.read("in", NO_PLATE, now)
    passed = await client.post("/api/driver/codes/scan", json={"payload": payload(entry)}, headers=_driver("o-1"))
    assert passed.status_code == 200, passed.text
    assert (passed.json()["kind"], passed.json()["opened"]) == ("no_plate", True)
    shop_code = await make_code(
        db, site.lot_id, CodeKind.MERCHANT, now, merchant_id=shop.merchant_id, template_id=shop.template_id
    )
    claimed = await client.post(
        "/api/driver/codes/scan",
        json={"payload": payload(shop_code), "plate": "粤B12345", "lotId": str(site.lot_id)},
        headers=_driver("o-1"),
    )
    assert claimed.json()["coupon"]["plate"] == "粤B12345"


async def test_a_driver_scan_is_refused_without_login_or_with_a_bad_code(
    db: Database, client: httpx.AsyncClient
) -> None:
    site = await build_site(db)
    code = await make_code(db, site.lot_id, CodeKind.IN_LOT, utcnow(), expires_at=utcnow() + timedelta(days=1))
    before = await dump(db)
    anonymous = await client.post("/api/driver/codes/scan", json={"payload": payload(code), "plate": "粤B12345"})
    assert anonymous.status_code == 401
    good = payload(code)
    altered = good[:-1] + ("A" if good[-1] != "A" else "B")
    forged = await client.post(
        "/api/driver/codes/scan", json={"payload": altered, "plate": "粤B12345"}, headers=_driver("o")
    )
    assert (forged.status_code, forged.json()["error"]["code"]) == (400, "invalid")
    no_stay = await client.post(
        "/api/driver/codes/scan", json={"payload": payload(code), "plate": "粤B12345"}, headers=_driver("o")
    )
    assert (no_stay.status_code, no_stay.json()["error"]["message"]) == (404, "未找到该车辆在本停车场的在场记录")
    assert (await client.post("/api/driver/codes/scan", json=[1], headers=_driver("o"))).status_code == 400
    assert await dump(db) == before
