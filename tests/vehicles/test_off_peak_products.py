"""Pass products sold online (错时停车) as operators set them up and the public sees them; a payer's note as
stored (hostile input)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from parking.common.database import Database
from parking.payments.behalf import NOTE_MAX, payer_note
from tests.conftest import GraphQL
from tests.factories import World, build_world
from tests.vehicles.helpers import mutate

PRODUCT = "... on PassProductSuccess { product { id soldOnline quota windowStart windowEnd } }"
LIST = "query($lot: ID!) { offPeakProducts(lotId: $lot) { id name quota spacesLeft windowStart } }"


async def _create(gql: GraphQL, world: World, extra: str, name: str = "夜间") -> dict[str, Any]:
    lot = world.id("lot:A1a")
    args = f'input: {{lotId: "{lot}", name: "{name}", period: MONTH, priceFen: 20000, {extra}}}'
    return await mutate(gql, world, "agentA", "passProductCreate", args, PRODUCT)


async def test_a_product_sold_online_with_a_quota_is_listed_to_anyone(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    created = await _create(gql, world, 'soldOnline: true, quota: 3, windowStart: "19:00", windowEnd: "08:00"')
    await _create(gql, world, "", name="月卡")  # not sold online: not listed
    product = created["product"]
    assert (product["soldOnline"], product["quota"], product["windowStart"]) == (True, 3, "19:00:00")
    body = await gql(LIST, {"lot": world.id("lot:A1a")})
    assert body["data"]["offPeakProducts"] == [
        {"id": product["id"], "name": "夜间", "quota": 3, "spacesLeft": 3, "windowStart": "19:00:00"}
    ]
    updated = await mutate(
        gql, world, "agentA", "passProductUpdate", f'id: "{product["id"]}", input: {{quota: 1}}', PRODUCT
    )
    assert updated["product"]["quota"] == 1


async def test_a_quota_given_as_null_is_cleared_and_one_left_out_is_kept(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    product = (await _create(gql, world, "soldOnline: true, quota: 3"))["product"]
    renamed = await mutate(
        gql, world, "agentA", "passProductUpdate", f'id: "{product["id"]}", input: {{name: "夜间二"}}', PRODUCT
    )
    assert renamed["product"]["quota"] == 3
    cleared = await mutate(
        gql, world, "agentA", "passProductUpdate", f'id: "{product["id"]}", input: {{quota: null}}', PRODUCT
    )
    assert cleared["product"]["quota"] is None
    body = await gql(LIST, {"lot": world.id("lot:A1a")})
    assert [(p["quota"], p["spacesLeft"]) for p in body["data"]["offPeakProducts"]] == [(None, None)]


async def test_a_negative_quota_is_invalid(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    refused = await _create(gql, world, "soldOnline: true, quota: -1")
    assert (refused["code"], refused["field"]) == ("INVALID", "quota")


@given(st.text(max_size=500))
def test_a_payers_note_is_printable_trimmed_and_bounded(raw: str) -> None:
    note = payer_note(raw)
    assert len(note) <= NOTE_MAX
    assert note == note.strip()
    assert all(ch.isprintable() for ch in note)
    assert note in "".join(ch for ch in raw if ch.isprintable())
