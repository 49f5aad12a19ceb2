"""Public driver queries: lots near a point (distance, free spaces, tariff line) and the per-address limit of
plate look-ups."""

from __future__ import annotations

from dataclasses import replace

import httpx
from sqlalchemy import update

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from parking.common.scope import Scope
from parking.driver_views.nearby import haversine_m
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.lanes.site import build_site

NEARBY = """query($lat: Float!, $lon: Float!, $r: Float) { lotsNearby(latitude: $lat, longitude: $lon, radiusKm: $r) {
  lotId name distanceM freeSpaces totalSpaces tariffSummary latitude longitude } }"""
# Tianhe, Guangzhou; the second lot 1.1 km north, the third about 25 km away.
HERE = (23.1291, 113.2644)


async def place(db: Database, lot_id: int, lat: float, lon: float, occupied: int = 0) -> None:
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == lot_id).values(latitude=lat, longitude=lon, occupied=occupied))


async def test_lots_within_the_radius_nearest_first(gql: GraphQL, db: Database) -> None:
    near, north, far, hidden = [await build_site(db) for _ in range(4)]
    await place(db, near.lot_id, HERE[0] + 0.001, HERE[1], occupied=40)
    await place(db, north.lot_id, HERE[0] + 0.01, HERE[1])
    await place(db, far.lot_id, HERE[0] + 0.225, HERE[1])
    # a lot with no coordinates is never listed
    body = await gql(NEARBY, {"lat": HERE[0], "lon": HERE[1], "r": 5})
    lots = body["data"]["lotsNearby"]
    assert [lot["lotId"] for lot in lots] == [str(near.lot_id), str(north.lot_id)]
    assert [lot["distanceM"] for lot in lots] == [
        round(haversine_m(*HERE, HERE[0] + 0.001, HERE[1])),
        round(haversine_m(*HERE, HERE[0] + 0.01, HERE[1])),
    ]
    assert lots[0]["distanceM"] == 111
    assert (lots[0]["freeSpaces"], lots[0]["totalSpaces"]) == (60, 100)
    # the site's flat tariff: first 15 min free, then 2 元 per half hour
    assert lots[0]["tariffSummary"] == "免费15分钟，每30分钟2元"
    wide = await gql(NEARBY, {"lat": HERE[0], "lon": HERE[1], "r": 30})
    assert [lot["lotId"] for lot in wide["data"]["lotsNearby"]] == [str(s.lot_id) for s in (near, north, far)]
    assert str(hidden.lot_id) not in {lot["lotId"] for lot in wide["data"]["lotsNearby"]}


async def test_bad_coordinates_are_refused_clearly(gql: GraphQL) -> None:
    for variables, field in (
        ({"lat": 91.0, "lon": 0.0}, "latitude"),
        ({"lat": 0.0, "lon": -181.0}, "longitude"),
        ({"lat": 0.0, "lon": 0.0, "r": 0.0}, "radiusKm"),
        ({"lat": 0.0, "lon": 0.0, "r": 500.0}, "radiusKm"),
    ):
        body = await gql(NEARBY, variables)
        assert body["data"] is None
        assert field in body["errors"][0]["message"]


async def test_plate_look_ups_are_limited_per_address(db: Database, settings: Settings) -> None:
    app = create_app(replace(settings, payment_create_limit=3, payment_create_window_s=3600), db)
    transport = httpx.ASGITransport(app=app, client=("198.51.100.4", 50000))
    query = 'query { plateStays(plate: "粤B00001") { __typename ... on DriverError { code message } } }'
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answers = [(await http.post("/graphql", json={"query": query})).json()["data"]["plateStays"] for _ in range(4)]
    assert [a["__typename"] for a in answers] == ["PlateStaysSuccess"] * 3 + ["DriverError"]
    assert (answers[3]["code"], answers[3]["message"]) == ("RATE_LIMITED", "查询过于频繁，请稍后再试")
