"""The `Fen` scalar: totals beyond GraphQL's 32-bit Int go through exactly, and input is integers only."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from graphql import parse_value as parse_graphql_value
from hypothesis import given
from hypothesis import strategies as st

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.payments.statements import produce_statements
from schema.core.money import MAX_SAFE_FEN, parse_fen, parse_fen_literal, serialize_fen
from schema.root import print_sdl
from tests.conftest import GraphQL
from tests.factories import World, build_world

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
DAY = date(2026, 11, 10)
INT32_MAX = 2**31 - 1
# Three orders of 15 million yuan each in one lot, one in its sister lot: every sum is past 2^31 fen.
BIG = 1_500_000_000
TOTALS = "grossFen refundsFen feeFen netFen"
STATEMENTS = f"""
query S($from: Date!, $to: Date!) {{
  settlementStatements(dayFrom: $from, dayTo: $to, first: 100) {{ items {{ lotId totals {{ {TOTALS} }} }} }}
}}
"""
CUSTOMER = f"""
query C($customer: ID!, $day: Date!) {{
  customerSettlement(customerId: $customer, day: $day) {{ totals {{ {TOTALS} }} }}
}}
"""
CASH = """
mutation Cash($id: ID!, $fen: Fen!) {
  paymentRecordCash(sessionId: $id, amountFen: $fen) { __typename }
}
"""


async def _big_orders(db: Database, world: World) -> None:
    async with db.transaction(Scope.internal()) as s:
        for i, lot in enumerate(["A1a", "A1a", "A1a", "A1b"]):
            s.add(
                PaymentOrder(
                    agent_id=world.ids["agent:A"],
                    customer_id=world.ids["customer:A1"],
                    lot_id=world.ids[f"lot:{lot}"],
                    out_trade_no=f"PBIG{i:04d}",
                    channel=PaymentChannel.WECHAT_NATIVE,
                    purpose=PaymentPurpose.PARKING_EXIT,
                    status=OrderStatus.PAID,
                    amount_fen=BIG,
                    paid_at=datetime(2026, 11, 10, 4, i, tzinfo=UTC),
                    details={},
                )
            )


def _totals(gross: int) -> dict[str, int]:
    fee = sum((BIG * 6000 + 500_000) // 1_000_000 for _ in range(gross // BIG))
    return {"grossFen": gross, "refundsFen": 0, "feeFen": fee, "netFen": gross - fee}


async def test_totals_beyond_32_bits_come_through_graphql_exactly(db: Database, gql: GraphQL) -> None:
    # given a day whose lot total (45 million yuan) and customer total (60 million yuan) are past 2^31 fen
    world = await build_world(db)
    await _big_orders(db, world)
    await produce_statements(db, DAY, NOW)
    # when the statements are read through GraphQL
    body = await gql(STATEMENTS, {"from": "2026-11-10", "to": "2026-11-10"}, token=world.tokens["platform"])
    # then each total is the exact integer, sent as a JSON integer
    assert "errors" not in body
    got = {item["lotId"]: item["totals"] for item in body["data"]["settlementStatements"]["items"]}
    assert got[world.id("lot:A1a")] == _totals(3 * BIG)
    assert got[world.id("lot:A1b")] == _totals(BIG)
    assert got[world.id("lot:A1a")]["grossFen"] > INT32_MAX
    body = await gql(
        CUSTOMER, {"customer": world.id("customer:A1"), "day": "2026-11-10"}, token=world.tokens["platform"]
    )
    assert body["data"]["customerSettlement"]["totals"] == _totals(4 * BIG)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (True, "bool"),
        (12.0, "float"),
        (12.5, "float"),
        ("1200", "str"),
        ("12 yuan", "str"),
        (None, "null"),
        (MAX_SAFE_FEN + 1, "out of range"),
        ([12], "list"),
        ({"fen": 12}, "dict"),
    ],
)
async def test_money_variables_must_be_integers(db: Database, gql: GraphQL, value: Any, why: str) -> None:
    # given a stay, and an operator who may take cash
    world = await build_world(db)
    # when an amount arrives as anything but a JSON integer in the safe range
    body = await gql(CASH, {"id": "1", "fen": value}, token=world.tokens["platform"])
    # then the request is refused before any resolver runs, with a message that says what Fen accepts
    assert body.get("data") is None
    [error] = body["errors"]
    assert "$fen" in error["message"]
    if why != "null":
        assert "Fen is an integer number of fen" in error["message"]


@pytest.mark.parametrize("literal", ["12.0", "1e3", '"1200"', "true", "null", "RED", "[1]", str(2**53)])
async def test_money_literals_must_be_integers(db: Database, gql: GraphQL, literal: str) -> None:
    world = await build_world(db)
    body = await gql(
        f'mutation {{ paymentRecordCash(sessionId: "1", amountFen: {literal}) {{ __typename }} }}',
        token=world.tokens["platform"],
    )
    assert body.get("data") is None
    assert "Fen" in body["errors"][0]["message"]


@given(st.integers(min_value=-MAX_SAFE_FEN, max_value=MAX_SAFE_FEN))
def test_every_safe_integer_round_trips(fen: int) -> None:
    # as a variable, as a literal, and back out: the same integer, and JSON writes it as an integer
    assert parse_fen(fen) == fen
    assert parse_fen(json.loads(json.dumps(fen))) == fen
    assert parse_fen_literal(parse_graphql_value(str(fen))) == fen
    assert json.dumps(serialize_fen(fen)) == str(fen)


@given(
    st.one_of(
        st.booleans(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(),
        st.none(),
        st.integers().filter(lambda n: abs(n) > MAX_SAFE_FEN),
        st.lists(st.integers(), max_size=2),
    )
)
def test_anything_else_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="Fen is an integer number of fen"):
        parse_fen(value)


def test_output_never_sends_a_non_integer() -> None:
    # a float or a bool reaching a money field is a bug: refuse to send it rather than round it
    for bad in (1.5, math.nan, True, "12", 2**53):
        with pytest.raises((TypeError, ValueError)):
            serialize_fen(bad)


def test_every_money_field_of_the_schema_is_fen() -> None:
    # every field and argument named in fen (…Fen) is a Fen, never an Int, in types, inputs and arguments
    sdl = print_sdl()
    assert re.findall(r"\w+Fen: \[?Int\b", sdl) == []
    for declared in ("grossFen: Fen!", "refundRequest(orderId: ID!, amountFen: Fen!", "priceFen: Fen = null"):
        assert declared in sdl
