"""The codes over GraphQL: operators make, list, rotate and revoke them; anyone scans (public, rate-limited)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from config.settings import Settings
from parking.codes.limits import SCAN_LIMIT_SERVICE
from parking.common.database import Database
from tests.api.helpers import dump
from tests.codes.helpers import add_shop, coupons
from tests.conftest import GraphQL
from tests.lanes.site import Site, build_site, seat_tokens

pytestmark = pytest.mark.anyio

CREATE = """
mutation($input: ParkingCodeCreateInput!) {
  parkingCodeCreate(input: $input) {
    __typename
    ... on ParkingCodeSuccess { parkingCode { id kind label payload url expiresAt maxUses usedCount lotId laneId } }
    ... on CodeError { code message field }
  }
}"""
ROTATE = """
mutation($id: ID!) { parkingCodeRotate(id: $id) {
  __typename ... on ParkingCodeSuccess { parkingCode { payload } } ... on CodeError { code message } } }"""
REVOKE = """
mutation($id: ID!) { parkingCodeRevoke(id: $id) {
  __typename ... on ParkingCodeSuccess { parkingCode { revokedAt } } ... on CodeError { code message } } }"""
VIP = """
mutation($input: VipCodesCreateInput!) { vipCodesCreate(input: $input) {
  __typename
  ... on ParkingCodesSuccess { parkingCodes { id kind maxUses payload } }
  ... on CodeError { code message } } }"""
LIST = """
query($filter: ParkingCodeFilter) { parkingCodes(filter: $filter) { items { id kind payload } } }"""
SCAN = """
mutation($input: CodeScanInput!) {
  codeScan(input: $input) {
    __typename
    ... on CodeScanCoupon { codeKind coupon { code kind value plate lotId validUntil } }
    ... on CodeScanInLot { stay { stayToken plate feeFen lotId } }
    ... on CodeScanExit { laneId waiting { plate feeFen } }
    ... on CodeError { code message field }
  }
}"""


@pytest.fixture
async def site(db: Database) -> Site:
    return await build_site(db)


@pytest.fixture
async def tokens(site: Site) -> dict[str, str]:
    return await seat_tokens(site)


async def _create(gql: GraphQL, token: str, **input_: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": input_}, token=token)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["parkingCodeCreate"]
    return result


async def test_operators_make_list_rotate_and_revoke_codes(gql: GraphQL, site: Site, tokens: dict[str, str]) -> None:
    seat = tokens["seat"]
    made = await _create(gql, seat, lotId=str(site.lot_id), kind="EXIT", laneId=str(site.ids["out"]), label="东出口")
    assert made["__typename"] == "ParkingCodeSuccess", made
    code = made["parkingCode"]
    assert code["url"] == f"http://127.0.0.1:8000/m/c/{code['payload']}"
    assert (code["kind"], code["label"], code["laneId"], code["usedCount"]) == (
        "EXIT",
        "东出口",
        str(site.ids["out"]),
        0,
    )
    listed = await gql(LIST, {"filter": {"lotId": str(site.lot_id), "kind": "EXIT"}}, token=seat)
    assert [c["id"] for c in listed["data"]["parkingCodes"]["items"]] == [code["id"]]
    # Rotating gives a new payload; the old one no longer scans.
    rotated = await gql(ROTATE, {"id": code["id"]}, token=seat)
    new = rotated["data"]["parkingCodeRotate"]["parkingCode"]["payload"]
    assert new != code["payload"]
    old_scan = await gql(SCAN, {"input": {"payload": code["payload"]}})
    assert old_scan["data"]["codeScan"]["code"] == "INVALID"
    assert (await gql(SCAN, {"input": {"payload": new}}))["data"]["codeScan"]["__typename"] == "CodeScanExit"
    revoked = await gql(REVOKE, {"id": code["id"]}, token=seat)
    assert revoked["data"]["parkingCodeRevoke"]["parkingCode"]["revokedAt"] is not None
    assert (await gql(SCAN, {"input": {"payload": new}}))["data"]["codeScan"]["code"] == "INVALID"


async def test_a_wrong_lane_or_another_tenants_lot_is_refused_and_nothing_changes(
    db: Database, gql: GraphQL, site: Site, tokens: dict[str, str]
) -> None:
    before = await dump(db)
    entry = await _create(gql, tokens["seat"], lotId=str(site.lot_id), kind="EXIT", laneId=str(site.ids["in"]))
    assert (entry["code"], entry["field"]) == ("INVALID", "laneId")
    assert entry["message"] == "该车道的方向不适用于此类二维码"
    other = await _create(gql, tokens["other"], lotId=str(site.lot_id), kind="IN_LOT")
    assert (other["code"], other["field"]) == ("NOT_FOUND", "lotId")
    assert await dump(db) == before


async def test_a_driver_claims_a_vip_coupon_by_scanning_without_a_login(
    db: Database, gql: GraphQL, site: Site, tokens: dict[str, str]
) -> None:
    shop = await add_shop(site)
    expires = (datetime.now(UTC) + timedelta(days=7)).isoformat()
    made = await gql(
        VIP,
        {
            "input": {
                "merchantId": str(shop.merchant_id),
                "templateId": str(shop.template_id),
                "count": 2,
                "expiresAt": expires,
            }
        },
        token=tokens["seat"],
    )
    codes = made["data"]["vipCodesCreate"]["parkingCodes"]
    assert [(c["kind"], c["maxUses"]) for c in codes] == [("VIP", 1), ("VIP", 1)]
    scan = {"payload": codes[0]["payload"], "plate": "粤b12345", "lotId": str(site.lot_id)}
    claimed = (await gql(SCAN, {"input": scan}))["data"]["codeScan"]
    assert claimed["__typename"] == "CodeScanCoupon", claimed
    assert (claimed["codeKind"], claimed["coupon"]["plate"], claimed["coupon"]["value"]) == ("VIP", "粤B12345", 60)
    before = await dump(db)
    again = (await gql(SCAN, {"input": {**scan, "plate": "粤B99999"}}))["data"]["codeScan"]
    assert (again["code"], again["message"]) == ("USED", "二维码已被使用")
    assert await dump(db) == before
    assert [c.plate for c in await coupons(db, source="vip")] == ["粤B12345", ""]


@pytest.fixture
async def unlimited(db: Database, client: httpx.AsyncClient) -> httpx.AsyncClient:
    db.services.pop(SCAN_LIMIT_SERVICE)  # hypothesis sends more than one address may
    return client


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.one_of(
        st.text(max_size=300),
        # A payload's very shape (lengths and alphabets) without its signature.
        st.from_regex(r"[0-9a-z]{1,6}\.[A-Za-z0-9_-]{12}\.[0-9a-z]{6}\.[A-Za-z0-9_-]{22}", fullmatch=True),
    )
)
async def test_random_payloads_never_fail_and_are_never_accepted(unlimited: httpx.AsyncClient, raw: str) -> None:
    response = await unlimited.post(
        "/graphql", json={"query": SCAN, "variables": {"input": {"payload": raw, "plate": "粤B12345"}}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]["codeScan"]["code"] == "INVALID"


@pytest.fixture
async def limited(db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(replace(settings, payment_create_limit=3, payment_create_window_s=3600), db)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_scans_from_one_address_are_limited(db: Database, limited: httpx.AsyncClient) -> None:
    codes = []
    for _ in range(4):
        response = await limited.post("/graphql", json={"query": SCAN, "variables": {"input": {"payload": "x.y.z.w"}}})
        codes.append(response.json()["data"]["codeScan"]["code"])
    assert codes == ["INVALID", "INVALID", "INVALID", "RATE_LIMITED"]
