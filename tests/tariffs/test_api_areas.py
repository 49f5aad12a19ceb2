"""GraphQL tariffs per area: an area's (or inner lot's) own versions first, its parents', then the lot's."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from parking.common.database import Database
from parking.common.scope import Scope
from parking.tariffs import Stay, VehicleClass, quote, samples
from parking.tenancy.models import Area
from tests.conftest import GraphQL
from tests.factories import World, build_world

CREATE = """
mutation($input: TariffVersionCreateInput!) {
  tariffVersionCreate(input: $input) {
    __typename
    ... on TariffSuccess { tariffVersion { version areaId } }
    ... on TariffError { code field problems { path reason } }
  }
}
"""
QUOTE = """
query($lot: ID!, $area: ID, $entry: DateTime!, $exit: DateTime!) {
  quoteFee(lotId: $lot, areaId: $area, vehicleClass: SMALL, entryAt: $entry, exitAt: $exit) {
    tariffName amountFen
  }
}
"""
SIMULATE = """
query($lot: ID!, $area: ID, $entry: DateTime!) {
  simulateFees(lotId: $lot, areaId: $area, vehicleClass: SMALL, entryAt: $entry, durations: [60, 1440]) { feeFen }
}
"""
VERSIONS = "query($lot: ID!, $area: ID) { tariffVersions(lotId: $lot, areaId: $area) { name version areaId } }"
ENTRY = datetime(2026, 3, 10, 9, 0, tzinfo=samples.CST)
EXIT = ENTRY + timedelta(hours=5)


async def _areas(db: Database, world: World) -> dict[str, str]:
    """Lot A1a: an inner lot with a nested zone, and a plain area; lot A1b: one area."""
    async with db.transaction(Scope.internal()) as s:

        def area(lot: str, name: str, parent: Area | None = None, inner: bool = False) -> Area:
            row = Area(
                agent_id=world.ids["agent:A"],
                customer_id=world.ids["customer:A1"],
                lot_id=world.ids[lot],
                name=name,
                capacity=10,
                is_inner=inner,
                parent_id=None if parent is None else parent.id,
            )
            s.add(row)
            return row

        inner = area("lot:A1a", "VIP 内场", inner=True)
        plain = area("lot:A1a", "B1")
        other = area("lot:A1b", "B1")
        await s.flush()
        nested = area("lot:A1a", "VIP 内场 A 区", parent=inner)
        await s.flush()
        return {"inner": str(inner.id), "nested": str(nested.id), "plain": str(plain.id), "other": str(other.id)}


async def _create(gql: GraphQL, world: World, doc: dict[str, Any], area: str | None = None) -> dict[str, Any]:
    variables = {"input": {"lotId": world.id("lot:A1a"), "areaId": area, "vehicleClass": "SMALL", "document": doc}}
    body = await gql(CREATE, variables, token=world.tokens["agentA"])
    assert body.get("errors") is None, body
    result: dict[str, Any] = body["data"]["tariffVersionCreate"]
    return result


async def _quote(
    gql: GraphQL, world: World, area: str | None, entry: datetime = ENTRY, who: str = "lotA1a"
) -> dict[str, Any]:
    variables = {
        "lot": world.id("lot:A1a"),
        "area": area,
        "entry": entry.isoformat(),
        "exit": (entry + timedelta(hours=5)).isoformat(),
    }
    return await gql(QUOTE, variables, token=world.tokens[who])


def _doc(make: Any, **changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = make().model_dump(mode="json")
    doc.update(changes)
    return doc


async def test_area_version_preferred_then_parent_then_lot(db: Database, gql: GraphQL) -> None:
    # Given a lot-wide railway tariff and an airport tariff on the inner lot only
    world = await build_world(db)
    areas = await _areas(db, world)
    await _create(gql, world, _doc(samples.railway_station))
    created = await _create(gql, world, _doc(samples.airport), areas["inner"])
    # When a 5 h stay is quoted in the inner lot, in its nested zone, in a plain area and lot-wide
    fees = {name: await _quote(gql, world, areas.get(name)) for name in ("inner", "nested", "plain", "lot")}
    # Then the inner lot and its zone use the airport tariff, the rest the lot's
    stay = Stay(ENTRY, EXIT)
    airport = {"tariffName": "airport-long-stay", "amountFen": quote(stay, samples.airport()).fee_fen}
    railway = {"tariffName": "railway-station", "amountFen": quote(stay, samples.railway_station()).fee_fen}
    assert created["tariffVersion"] == {"version": 1, "areaId": areas["inner"]}
    assert {name: body["data"]["quoteFee"] for name, body in fees.items()} == {
        "inner": airport,
        "nested": airport,
        "plain": railway,
        "lot": railway,
    }
    assert (airport["amountFen"], railway["amountFen"]) == (1700, 1100)


async def test_area_version_not_yet_in_force_falls_back_to_the_lot(db: Database, gql: GraphQL) -> None:
    # Given an inner-lot tariff that takes effect on 1 April
    world = await build_world(db)
    areas = await _areas(db, world)
    await _create(gql, world, _doc(samples.railway_station))
    await _create(gql, world, _doc(samples.airport, effective_from="2026-04-01T00:00:00+08:00"), areas["inner"])
    # When stays entering in March and in April are quoted there
    march = await _quote(gql, world, areas["inner"])
    april = await _quote(gql, world, areas["inner"], datetime(2026, 4, 10, 9, tzinfo=samples.CST))
    # Then March is priced by the lot, April by the area
    assert march["data"]["quoteFee"]["tariffName"] == "railway-station"
    assert april["data"]["quoteFee"]["tariffName"] == "airport-long-stay"


async def test_simulator_and_version_list_per_area(db: Database, gql: GraphQL) -> None:
    # Given lot and inner-lot tariffs
    world = await build_world(db)
    areas = await _areas(db, world)
    await _create(gql, world, _doc(samples.railway_station))
    await _create(gql, world, _doc(samples.airport), areas["inner"])
    token = world.tokens["custA1"]
    # When the simulator runs and the versions are listed for the area and for the lot
    sim = await gql(
        SIMULATE, {"lot": world.id("lot:A1a"), "area": areas["inner"], "entry": ENTRY.isoformat()}, token=token
    )
    area_versions = await gql(VERSIONS, {"lot": world.id("lot:A1a"), "area": areas["inner"]}, token=token)
    lot_versions = await gql(VERSIONS, {"lot": world.id("lot:A1a")}, token=token)
    # Then each names its own
    assert sim["data"]["simulateFees"] == [{"feeFen": 500}, {"feeFen": 3000}]
    assert area_versions["data"]["tariffVersions"] == [
        {"name": "airport-long-stay", "version": 1, "areaId": areas["inner"]}
    ]
    assert lot_versions["data"]["tariffVersions"] == [{"name": "railway-station", "version": 1, "areaId": None}]


async def test_area_of_another_lot_is_refused_when_quoting(db: Database, gql: GraphQL) -> None:
    # Given a lot tariff and an area of another lot
    world = await build_world(db)
    areas = await _areas(db, world)
    await _create(gql, world, _doc(samples.railway_station))
    # When a quote for lot A1a names that area, by the customer (sees both lots) and by lot A1a's operator
    customer = await _quote(gql, world, areas["other"], who="custA1")
    lot_operator = await _quote(gql, world, areas["other"])
    # Then it is a coded error on areaId: another lot's area, or an area the operator cannot see
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in customer["errors"]] == [("INVALID", "areaId")]
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in lot_operator["errors"]] == [
        ("NOT_FOUND", "areaId")
    ]
    assert customer["data"] is lot_operator["data"] is None


async def test_class_without_versions_uses_small_cars_versions(db: Database, gql: GraphQL) -> None:
    # Given only a small-car version (whose document prices large vehicles double)
    world = await build_world(db)
    await _create(gql, world, _doc(samples.railway_station))
    query = QUOTE.replace("vehicleClass: SMALL", "vehicleClass: LARGE")
    variables = {"lot": world.id("lot:A1a"), "area": None, "entry": ENTRY.isoformat(), "exit": EXIT.isoformat()}
    # When a large vehicle's stay is quoted
    body = await gql(query, variables, token=world.tokens["lotA1a"])
    # Then the small-car version prices it with its large-vehicle rule, as the lane billing would
    large = quote(Stay(ENTRY, EXIT, VehicleClass.LARGE), samples.railway_station()).fee_fen
    assert body["data"]["quoteFee"] == {"tariffName": "railway-station", "amountFen": large}
    assert large == 2200
