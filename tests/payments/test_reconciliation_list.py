"""The list of reconciled days: newest first, by channel, in keyset pages, each counting only the caller's lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.bills import EntryKind
from parking.payments.settlement_models import ReconciliationItem, ReconciliationResult, ReconciliationRun
from tests.api.helpers import dump
from tests.conftest import GraphQL
from tests.factories import World, build_world

LIST = """
query($from: Date!, $to: Date!, $channel: String, $first: Int!, $after: String) {
  reconciliations(dayFrom: $from, dayTo: $to, channel: $channel, first: $first, after: $after) {
    items { channel day billRows matched missingOurs missingTheirs amountMismatch }
    pageInfo { hasNextPage endCursor }
  }
}
"""
R = ReconciliationResult


async def _runs(db: Database, world: World) -> None:
    """Three WeChat days and one Alipay day; lines on lot A1a (customer A1), lot A2a (customer A2) and none."""
    lines: dict[tuple[str, date], list[tuple[ReconciliationResult, str | None]]] = {
        ("wechatpay", date(2030, 1, 1)): [(R.MATCHED, "A1a"), (R.MATCHED, "A2a")],
        ("wechatpay", date(2030, 1, 2)): [(R.MATCHED, "A1a"), (R.AMOUNT_MISMATCH, "A1a"), (R.MISSING_OURS, None)],
        ("wechatpay", date(2030, 1, 3)): [(R.MISSING_THEIRS, "A2a")],
        ("alipay", date(2030, 1, 2)): [(R.MATCHED, "A1a")],
    }
    async with db.transaction(Scope.internal()) as s:
        for (channel, day), results in lines.items():
            run = ReconciliationRun(channel=channel, day=day, bill_rows=len(results), produced_at=datetime.now(UTC))
            s.add(run)
            await s.flush()
            for n, (result, lot) in enumerate(results):
                owner: dict[str, Any] = {}
                if lot is not None:
                    customer = "A1" if lot.startswith("A1") else "A2"
                    owner = {
                        "agent_id": world.ids["agent:A"],
                        "customer_id": world.ids[f"customer:{customer}"],
                        "lot_id": world.ids[f"lot:{lot}"],
                    }
                number = f"{channel}-{day}-{n}"
                s.add(
                    ReconciliationItem(
                        run_id=run.id, result=result, entry_kind=EntryKind.PAYMENT, number=number, **owner
                    )
                )


async def _list(gql: GraphQL, world: World, who: str, **variables: Any) -> dict[str, Any]:
    variables = {"from": "2030-01-01", "to": "2030-01-31", "first": 50, **variables}
    body = await gql(LIST, variables, token=world.tokens[who])
    assert body.get("errors") is None, body
    page: dict[str, Any] = body["data"]["reconciliations"]
    return page


def _days(page: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["channel"], i["day"]) for i in page["items"]]


async def test_reconciled_days_newest_first_with_the_platforms_counts(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await _runs(db, world)
    page = await _list(gql, world, "platform")
    assert _days(page)[0] == ("wechatpay", "2030-01-03")
    assert sorted(_days(page)) == [
        ("alipay", "2030-01-02"),
        ("wechatpay", "2030-01-01"),
        ("wechatpay", "2030-01-02"),
        ("wechatpay", "2030-01-03"),
    ]
    day2 = next(i for i in page["items"] if (i["channel"], i["day"]) == ("wechatpay", "2030-01-02"))
    assert (day2["billRows"], day2["matched"], day2["amountMismatch"], day2["missingOurs"]) == (3, 1, 1, 1)
    only_wechat = await _list(gql, world, "platform", channel="wechatpay")
    assert _days(only_wechat) == [("wechatpay", f"2030-01-0{d}") for d in (3, 2, 1)]


async def test_a_customer_operator_counts_only_its_own_lines(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await _runs(db, world)
    before = await dump(db)
    page = await _list(gql, world, "custA1", channel="wechatpay")
    counts = {
        i["day"]: (i["matched"], i["missingOurs"], i["missingTheirs"], i["amountMismatch"]) for i in page["items"]
    }
    # Customer A2's lines and the line no lot owns are not counted; the bill's own size is the channel's.
    assert counts == {"2030-01-01": (1, 0, 0, 0), "2030-01-02": (1, 0, 0, 1), "2030-01-03": (0, 0, 0, 0)}
    assert await dump(db) == before


async def test_reconciled_days_come_in_keyset_pages(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await _runs(db, world)
    seen: list[tuple[str, str]] = []
    after = None
    for _ in range(5):
        page = await _list(gql, world, "platform", first=1, after=after)
        seen += _days(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 4
    assert [day for _, day in seen] == sorted((day for _, day in seen), reverse=True)


async def test_listing_reconciliations_needs_finance_view(db: Database, gql: GraphQL) -> None:
    world = await build_world(db)
    await _runs(db, world)
    body = await gql(LIST, {"from": "2030-01-01", "to": "2030-01-31", "first": 50}, token=world.tokens["viewer"])
    assert body["data"] is None
    assert body["errors"][0]["message"] == "permission 'finance.view' required"
