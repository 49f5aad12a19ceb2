"""GraphQL tariffPreview: a draft document priced as the saved one will be, refused drafts listed, nothing stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.plates import PlateColor
from parking.tariffs import quote, samples, simulate
from parking.tariffs.models import TariffVersion
from parking.tariffs.preview import preview_tariff
from parking.tariffs.simulate import stays_for
from parking.tariffs.vehicle import TariffVehicle
from tests.conftest import GraphQL
from tests.factories import build_world
from tests.tariffs.test_api import ENTRY

PREVIEW = """
query($doc: JSON!, $curve: [Int!]!, $examples: [Int!], $entry: DateTime) {
  tariffPreview(document: $doc, curveMinutes: $curve, exampleMinutes: $examples, entryAt: $entry) {
    problems { path reason }
    curve { minutes feeFen capped }
    quotes { amountFen lines { kind amountFen units unitMinutes rateFen startAt endAt } }
  }
}
"""


async def _preview(gql: GraphQL, token: str, doc: Any, curve: list[int], examples: list[int]) -> dict[str, Any]:
    variables = {"doc": doc, "curve": curve, "examples": examples, "entry": ENTRY.isoformat()}
    return await gql(PREVIEW, variables, token=token)


async def test_a_draft_is_priced_as_the_engine_prices_it_and_nothing_is_stored(db: Database, gql: GraphQL) -> None:
    # Given a draft tariff that is not saved
    world = await build_world(db)
    tariff = samples.railway_station()
    doc = tariff.model_dump(mode="json")
    # When the editor previews a curve and two example stays
    body = await _preview(gql, world.tokens["agentA"], doc, [30, 60, 600, 1500], [90, 1500])
    # Then the curve and the quotes are the engine's, the lines carry units, rates and clock times
    assert body.get("errors") is None, body
    got = body["data"]["tariffPreview"]
    assert got["problems"] == []
    expected = simulate(tariff, stays_for(ENTRY, [timedelta(minutes=m) for m in (30, 60, 600, 1500)]))
    assert [(r["minutes"], r["feeFen"], r["capped"]) for r in got["curve"]] == [
        (r.minutes, r.fee_fen, r.capped) for r in expected
    ]
    first = quote(stays_for(ENTRY, [timedelta(minutes=90)])[0], tariff)
    assert got["quotes"][0]["amountFen"] == first.fee_fen
    lines = got["quotes"][0]["lines"]
    assert [(ln["kind"].lower(), ln["units"], ln["unitMinutes"], ln["rateFen"]) for ln in lines] == [
        (ln.kind.value, ln.units, ln.unit_minutes, ln.rate_fen) for ln in first.lines
    ]
    assert lines[0]["startAt"] == ENTRY.isoformat()
    assert all(ln["startAt"].endswith("+08:00") and ln["endAt"] >= ln["startAt"] for ln in lines)
    # And nothing was stored
    async with db.session(Scope.platform()) as session:
        assert await session.scalar(select(func.count()).select_from(TariffVersion)) == 0


async def test_a_refused_draft_lists_every_problem_and_prices_nothing(db: Database, gql: GraphQL) -> None:
    # Given a draft with a negative first-period price and no name
    world = await build_world(db)
    doc = samples.railway_station().model_dump(mode="json")
    doc["name"] = ""
    doc["classes"]["small"]["rule"]["periods"][0]["unit_price_fen"] = -1
    # When it is previewed
    body = await _preview(gql, world.tokens["agentA"], doc, [60], [60])
    # Then both problems come back with their paths, and no fee
    got = body["data"]["tariffPreview"]
    paths = {p["path"] for p in got["problems"]}
    assert "name" in paths
    assert "classes.small.rule.periods[0].unit_price_fen" in paths
    assert got["curve"] == []
    assert got["quotes"] == []


async def test_hostile_arguments_are_refused_clearly(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    doc = samples.railway_station().model_dump(mode="json")
    token = world.tokens["agentA"]
    for curve, examples in (([0], []), (list(range(1, 102)), []), ([60], list(range(1, 12))), ([60 * 24 * 7400], [])):
        body = await _preview(gql, token, doc, curve, examples)
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "INVALID", body
    body = await _preview(gql, token, [1, 2], [60], [])
    assert body["errors"][0]["extensions"]["field"] == "document", body


_JSON_LEAF = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.text(max_size=8) | st.just("08:00")


def _with(doc: Any, path: list[int], value: Any) -> Any:
    """``doc`` with the node reached by following ``path`` (indexes taken modulo each level's size) replaced."""
    if not path or not isinstance(doc, dict | list) or not doc:
        return value
    keys = list(doc) if isinstance(doc, dict) else list(range(len(doc)))
    key = keys[path[0] % len(keys)]
    copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[key] = _with(doc[key], path[1:], value)
    return copy


@settings(max_examples=150, deadline=None)
@given(path=st.lists(st.integers(0, 50), max_size=6), value=_JSON_LEAF | st.lists(_JSON_LEAF, max_size=3))
def test_a_hostile_draft_is_answered_with_problems_or_prices_never_an_exception(path: list[int], value: Any) -> None:
    # Given the day/night sample with one node anywhere replaced by junk
    doc = _with(samples.day_night().model_dump(mode="json"), path, value)
    # When it is previewed, Then it is either refused with problems and no prices, or priced in full
    got = preview_tariff(
        doc, TariffVehicle("small", PlateColor.BLUE), ENTRY, [timedelta(hours=3)], [timedelta(hours=9)]
    )
    assert (got.problems == []) == (len(got.rows) == 1 and len(got.quotes) == 1)
