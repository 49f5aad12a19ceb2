"""A merchant's operator makes and manages its own merchant and VIP codes, and nothing else: no lane codes, no
other merchant's codes; every refusal leaves the database as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from parking.common.database import Database
from tests.api.helpers import dump
from tests.codes.test_graphql import CREATE, LIST, REVOKE, ROTATE, VIP
from tests.conftest import GraphQL
from tests.merchants.accounts_world import MerchantWorld, build_merchant_world

pytestmark = pytest.mark.anyio

LATER = (datetime.now(UTC) + timedelta(days=30)).isoformat()


@pytest.fixture
async def mw(db: Database) -> MerchantWorld:
    return await build_merchant_world(db)


def _merchant_code(mw: MerchantWorld, merchant: str) -> dict[str, Any]:
    return {
        "lotId": mw.id("lot:A1a"),
        "kind": "MERCHANT",
        "merchantId": mw.id(merchant),
        "templateId": mw.id("template:T"),
        "label": "收银台",
    }


async def test_a_merchant_operator_makes_lists_and_manages_its_own_codes(gql: GraphQL, mw: MerchantWorld) -> None:
    mop = mw.token("mop")
    made = await gql(CREATE, {"input": _merchant_code(mw, "merchant:M")}, token=mop)
    code = made["data"]["parkingCodeCreate"]["parkingCode"]
    assert code["kind"] == "MERCHANT"
    vip = await gql(
        VIP,
        {
            "input": {
                "merchantId": mw.id("merchant:M"),
                "templateId": mw.id("template:T"),
                "count": 2,
                "expiresAt": LATER,
            }
        },
        token=mop,
    )
    assert "parkingCodes" in vip["data"]["vipCodesCreate"], vip
    vips = vip["data"]["vipCodesCreate"]["parkingCodes"]
    assert [v["kind"] for v in vips] == ["VIP", "VIP"]
    listed = await gql(LIST, {}, token=mop)
    assert {c["id"] for c in listed["data"]["parkingCodes"]["items"]} == {code["id"], *(v["id"] for v in vips)}
    rotated = await gql(ROTATE, {"id": code["id"]}, token=mop)
    assert rotated["data"]["parkingCodeRotate"]["parkingCode"]["payload"] != code["payload"]
    # another merchant's operator sees none of them
    assert (await gql(LIST, {}, token=mw.token("nop")))["data"]["parkingCodes"]["items"] == []


async def test_a_merchant_operator_is_refused_lane_codes_and_other_merchants_codes(
    db: Database, gql: GraphQL, mw: MerchantWorld
) -> None:
    mine = (await gql(CREATE, {"input": _merchant_code(mw, "merchant:M")}, token=mw.token("mop")))["data"]
    code_id = mine["parkingCodeCreate"]["parkingCode"]["id"]
    before = await dump(db)
    nop = mw.token("nop")
    lane = await gql(CREATE, {"input": {"lotId": mw.id("lot:A1a"), "kind": "IN_LOT"}}, token=nop)
    assert lane["data"]["parkingCodeCreate"]["code"] == "PERMISSION_DENIED"
    conference = await gql(
        CREATE,
        {"input": {"lotId": mw.id("lot:A1a"), "kind": "CONFERENCE", "templateId": mw.id("template:T"), "maxUses": 5}},
        token=nop,
    )
    assert conference["data"]["parkingCodeCreate"]["code"] == "PERMISSION_DENIED"
    # another merchant is no merchant of this lot to its operator (its scope does not see it)
    theirs = await gql(CREATE, {"input": _merchant_code(mw, "merchant:M")}, token=nop)
    assert (theirs["data"]["parkingCodeCreate"]["code"], theirs["data"]["parkingCodeCreate"]["field"]) == (
        "INVALID",
        "merchantId",
    )
    their_vips = await gql(
        VIP,
        {
            "input": {
                "merchantId": mw.id("merchant:M"),
                "templateId": mw.id("template:T"),
                "count": 1,
                "expiresAt": LATER,
            }
        },
        token=nop,
    )
    assert their_vips["data"]["vipCodesCreate"]["code"] == "NOT_FOUND"
    for mutation, name in ((ROTATE, "parkingCodeRotate"), (REVOKE, "parkingCodeRevoke")):
        answer = await gql(mutation, {"id": code_id}, token=nop)
        assert answer["data"][name]["code"] == "NOT_FOUND"
    assert await dump(db) == before


async def test_a_merchant_operator_downloads_its_own_codes_only(
    gql: GraphQL, client: httpx.AsyncClient, mw: MerchantWorld
) -> None:
    made = await gql(CREATE, {"input": _merchant_code(mw, "merchant:M")}, token=mw.token("mop"))
    code_id = made["data"]["parkingCodeCreate"]["parkingCode"]["id"]
    own = await client.get(f"/api/codes/{code_id}.svg", headers={"Authorization": f"Bearer {mw.token('mop')}"})
    assert own.status_code == 200
    assert own.headers["content-type"].startswith("image/svg+xml")
    other = {"Authorization": f"Bearer {mw.token('nop')}"}
    assert (await client.get(f"/api/codes/{code_id}.svg", headers=other)).status_code == 404
    assert (await client.get(f"/api/codes/sheet.pdf?ids={code_id}", headers=other)).status_code == 404
