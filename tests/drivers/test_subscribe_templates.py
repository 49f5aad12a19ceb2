"""The subscribe-message templates the mini-program asks a driver to accept: the lots' payment settings, public."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from parking.common.database import Database
from parking.common.scope import Scope
from parking.tenancy.models import Lot
from tests.conftest import GraphQL
from tests.lanes.site import build_site

TEMPLATES = "query($lot: ID) { subscribeTemplates(lotId: $lot) }"


async def configure(db: Database, lot_id: int, **values: Any) -> None:
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == lot_id).values(**values))


async def test_a_lots_templates_payment_first_and_every_lots_entry_first(gql: GraphQL, db: Database) -> None:
    # given two lots of one mini-program with the same templates, a third without any, a fourth inactive
    first, second, silent, closed = [await build_site(db) for _ in range(4)]
    both = {"entry_template_id": "TPL_ENTRY", "paid_template_id": "TPL_PAID"}
    await configure(db, first.lot_id, payment_settings=both)
    await configure(db, second.lot_id, payment_settings={"paid_template_id": "TPL_PAID"})
    await configure(db, closed.lot_id, payment_settings={"entry_template_id": "TPL_OLD"}, is_active=False)
    # then before paying at a lot: its payment, then its entry template
    body = await gql(TEMPLATES, {"lot": str(first.lot_id)})
    assert body["data"]["subscribeTemplates"] == ["TPL_PAID", "TPL_ENTRY"]
    assert (await gql(TEMPLATES, {"lot": str(second.lot_id)}))["data"]["subscribeTemplates"] == ["TPL_PAID"]
    # a lot without templates, an inactive one, an unknown or malformed id: nothing to ask
    for lot in (str(silent.lot_id), str(closed.lot_id), "999999", "x", str(2**64)):
        assert (await gql(TEMPLATES, {"lot": lot}))["data"]["subscribeTemplates"] == [], lot
    # after binding a plate (any lot): the active lots' entry, then payment templates, each once
    assert (await gql(TEMPLATES, {}))["data"]["subscribeTemplates"] == ["TPL_ENTRY", "TPL_PAID"]


async def test_at_most_three_templates_as_wechat_allows(gql: GraphQL, db: Database) -> None:
    sites = [await build_site(db) for _ in range(4)]
    for n, site in enumerate(sites):
        await configure(db, site.lot_id, payment_settings={"entry_template_id": f"TPL_E{n}"})
    assert (await gql(TEMPLATES, {}))["data"]["subscribeTemplates"] == ["TPL_E0", "TPL_E1", "TPL_E2"]
