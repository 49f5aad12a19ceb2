"""The driver queries cost a fixed number of statements whatever the rows (pinned in tests/query_counts)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import update

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.drivers.test_plates import driver, paid_for
from tests.lanes.site import Site, build_site
from tests.query_counts.counting import check, statements

_plates = itertools.count(500)


async def _ok(gql: GraphQL, query: str, token: str | None = None) -> None:
    body = await gql(query, token=token)
    assert body.get("errors") is None, body
    for payload in body["data"].values():
        if isinstance(payload, dict):
            assert payload.get("__typename") != "DriverError", payload


async def test_my_plates(gql: GraphQL, db: Database, backend: str) -> None:
    async def bind_more(count: int) -> None:
        for _ in range(count):
            plate = f"粤D{next(_plates):05d}"
            await _ok(gql, f'mutation {{ plateBind(input: {{plate: "{plate}"}}) {{ __typename }} }}', driver("oCount"))

    await bind_more(2)
    with statements(db) as few:
        await _ok(gql, "{ myPlates { plate proven } }", driver("oCount"))
    await bind_more(3)
    with statements(db) as many:
        await _ok(gql, "{ myPlates { plate proven } }", driver("oCount"))
    check("my_plates", backend, few, many)


async def _lots(db: Database, count: int) -> None:
    for n in range(count):
        site = await build_site(db)
        async with db.transaction(Scope.internal()) as tx:
            await tx.execute(
                update(Lot).where(Lot.id == site.lot_id).values(latitude=31.23 + n * 0.001, longitude=121.47)
            )


async def test_lots_nearby(gql: GraphQL, db: Database, backend: str) -> None:
    query = "{ lotsNearby(latitude: 31.23, longitude: 121.47) { lotId distanceM freeSpaces tariffSummary } }"
    await _lots(db, 2)
    with statements(db) as few:
        await _ok(gql, query)
    await _lots(db, 3)
    with statements(db) as many:
        await _ok(gql, query)
    check("lots_nearby", backend, few, many)


async def test_subscribe_templates(gql: GraphQL, db: Database, backend: str) -> None:
    async def lots(count: int) -> None:
        for n in range(count):
            site = await build_site(db)
            settings = {"entry_template_id": f"TPL_E{n}", "paid_template_id": f"TPL_P{n}"}
            async with db.transaction(Scope.internal()) as tx:
                await tx.execute(update(Lot).where(Lot.id == site.lot_id).values(payment_settings=settings))

    await lots(2)
    with statements(db) as few:
        await _ok(gql, "{ subscribeTemplates }")
    await lots(3)
    with statements(db) as many:
        await _ok(gql, "{ subscribeTemplates }")
    check("subscribe_templates", backend, few, many)


async def _stays(site: Site, plate: str, count: int) -> None:
    now = utcnow()
    for _ in range(count):
        await site.read("in", plate, now - timedelta(hours=2))
        await site.read("out", plate, now - timedelta(hours=1))


async def test_plate_history(gql: GraphQL, db: Database, backend: str) -> None:
    site = await build_site(db)
    plate = f"粤D{next(_plates):05d}"
    await paid_for(db, site, plate, "oCount")
    query = (
        f'{{ plateHistory(plate: "{plate}", first: 10) {{ __typename '
        "... on PlateHistorySuccess { items { lotName } } } }"
    )
    await _stays(site, plate, 2)
    with statements(db) as few:
        await _ok(gql, query, driver("oCount"))
    await _stays(site, plate, 3)
    with statements(db) as many:
        await _ok(gql, query, driver("oCount"))
    check("plate_history", backend, few, many)
