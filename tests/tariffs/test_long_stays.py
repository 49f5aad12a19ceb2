"""Absurd stays (years): the breakdown is collapsed to a few lines and still sums to the fee, to the fen."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parking.common.database import Database
from parking.tariffs import LineKind, Stay, Tariff, quote, samples
from parking.tariffs.collapse import MAX_LINES, collapse, merge_days
from parking.tariffs.stay import QuoteLine
from tests.conftest import GraphQL
from tests.factories import build_world

ENTRY = datetime(2026, 3, 2, 9, 0, tzinfo=samples.CST)
TEN_YEARS = timedelta(days=3652, hours=5, minutes=7)


@pytest.mark.parametrize("name", sorted(samples.PUBLISHED))
@pytest.mark.parametrize("vehicle_class", ["small", "large", "motorcycle"])
def test_a_ten_year_stay_is_a_short_breakdown_with_the_exact_total(name: str, vehicle_class: str) -> None:
    # Given a published tariff and a stay of ten years
    tariff = samples.PUBLISHED[name]()
    stay = Stay(ENTRY, ENTRY + TEN_YEARS, vehicle_class)
    # When it is quoted with and without collapsing
    short = quote(stay, tariff)
    full = quote(stay, tariff, max_lines=None)
    # Then the collapsed breakdown is short, and both sum to the same fee to the fen
    assert len(full.lines) > 3000
    assert len(short.lines) <= MAX_LINES
    assert short.fee_fen == full.fee_fen
    assert sum(line.amount_fen for line in short.lines) == sum(line.amount_fen for line in full.lines)
    assert sum(line.amount_fen for line in short.lines) == short.due_fen
    assert sum(line.repeat for line in short.lines) == len(full.lines)


def test_the_zhongxiang_decade_reads_day_by_day_as_one_line_per_repeated_day() -> None:
    # Given the 钟祥 notice (calendar-day cap 20 元) and a stay from Wednesday 10:00 for ten years and a day
    stay = Stay(datetime(2026, 5, 6, 10, 0, tzinfo=samples.CST), datetime(2036, 5, 7, 14, 0, tzinfo=samples.CST))
    q = quote(stay, samples.zhongxiang_tourist_centre())
    # Then the first day, the 3,653 identical days between and the last day are one line each (plus caps)
    rows = [(ln.kind, ln.label, ln.amount_fen, ln.units, ln.repeat) for ln in q.lines]
    days = (stay.exit.date() - stay.entry.date()).days - 1
    assert rows == [
        (LineKind.FREE, "免费时长(超时从入场起计费)", 0, 0, 1),
        (LineKind.FIRST_PERIOD, "首段", 500, 1, 1),
        (LineKind.UNITS, "全天", 12 * 200, 12, 1),
        (LineKind.UNITS, "全天", days * 24 * 200, days * 24, days),
        (LineKind.UNITS, "全天", 14 * 200, 14, 1),
        (LineKind.CAP, "第1天封顶", 2000 - 2900, 0, 1),
        (LineKind.CAP, f"第2天封顶至第{days + 1}天封顶", days * (2000 - 4800), 0, days),
        (LineKind.CAP, f"第{days + 2}天封顶", 2000 - 2800, 0, 1),
    ]
    assert q.fee_fen == (days + 2) * 2000


def _line(kind: LineKind, day: int, amount: int, start: int) -> QuoteLine:
    return QuoteLine(kind, "全天", amount, start, start + 3600, 1, 60, amount, day)


def test_days_that_differ_are_not_merged() -> None:
    day = 86_400
    lines = [
        _line(LineKind.UNITS, 0, 200, 0),
        _line(LineKind.UNITS, 1, 200, day),
        _line(LineKind.UNITS, 2, 300, 2 * day),  # another price
        _line(LineKind.UNITS, 3, 300, 3 * day + 7200),  # another time of day
        _line(LineKind.UNITS, 5, 300, 5 * day + 7200),  # not the next day
    ]

    merged = merge_days(lines)

    assert [(ln.amount_fen, ln.repeat, ln.start_s, ln.end_s) for ln in merged] == [
        (400, 2, 0, day + 3600),
        (300, 1, 2 * day, 2 * day + 3600),
        (300, 1, 3 * day + 7200, 3 * day + 10800),
        (300, 1, 5 * day + 7200, 5 * day + 10800),
    ]


TARIFFS = st.sampled_from([make() for make in samples.ALL.values()])


@settings(max_examples=60, deadline=None)
@given(
    TARIFFS,
    st.integers(0, 365 * 86_400),
    st.integers(0, 800 * 86_400),
    st.sampled_from(["small", "large", "motorcycle", "new_energy"]),
    st.integers(0, 30_000),
    st.integers(1, 400),
)
def test_collapsed_lines_total_the_uncollapsed_lines(
    tariff: Tariff, offset: int, seconds: int, vehicle_class: str, paid: int, limit: int
) -> None:
    entry = ENTRY + timedelta(seconds=offset)
    stay = Stay(entry, entry + timedelta(seconds=seconds), vehicle_class, paid_fen=paid)
    full = quote(stay, tariff, max_lines=None)

    short = collapse(full.lines, limit)

    assert sum(ln.amount_fen for ln in short) == sum(ln.amount_fen for ln in full.lines) == full.due_fen
    assert sum(ln.repeat for ln in short) == len(full.lines)
    assert sum(ln.units for ln in short) == sum(ln.units for ln in full.lines)
    # Each kind keeps its total (caps, discounts and payments are not folded into charges).
    for kind in LineKind:
        assert sum(ln.amount_fen for ln in short if ln.kind is kind) == sum(
            ln.amount_fen for ln in full.lines if ln.kind is kind
        )
    if len(full.lines) <= limit:
        assert short == list(full.lines)


CREATE = """
mutation($input: TariffVersionCreateInput!) {
  tariffVersionCreate(input: $input) { __typename }
}
"""
QUOTE = """
query($lot: ID!, $entry: DateTime!, $exit: DateTime!) {
  quoteFee(lotId: $lot, vehicleClass: SMALL, entryAt: $entry, exitAt: $exit) {
    amountFen dueFen lines { kind label amountFen startS endS units unitMinutes rateFen day repeat }
  }
}
"""
# What a quote's JSON may weigh, whatever the stay: a page of lines, never megabytes.
MAX_RESPONSE_BYTES = 32 * 1024


@pytest.mark.parametrize("name", ["day_night", "zhongxiang_tourist_centre"])
async def test_quote_fee_for_ten_years_is_small_and_exact(db: Database, gql: GraphQL, name: str) -> None:
    # Given a lot publishing the tariff
    world = await build_world(db)
    tariff = samples.ALL[name]()
    doc = tariff.model_dump(mode="json")
    variables = {"input": {"lotId": world.id("lot:A1a"), "vehicleClass": "SMALL", "document": doc}}
    created = await gql(CREATE, variables, token=world.tokens["agentA"])
    assert created["data"]["tariffVersionCreate"]["__typename"] == "TariffSuccess", created
    # When a ten-year stay is quoted over GraphQL
    exit_ = ENTRY + TEN_YEARS
    response = await gql.http.post(
        "/graphql",
        json={
            "query": QUOTE,
            "variables": {"lot": world.id("lot:A1a"), "entry": ENTRY.isoformat(), "exit": exit_.isoformat()},
        },
        headers={"authorization": f"Bearer {world.tokens['agentA']}"},
    )
    # Then the answer is small and its lines total the uncollapsed computation to the fen
    assert response.status_code == 200
    assert len(response.content) < MAX_RESPONSE_BYTES
    quoted = response.json()["data"]["quoteFee"]
    full = quote(Stay(ENTRY, exit_), tariff, max_lines=None)
    assert quoted["amountFen"] == quoted["dueFen"] == full.fee_fen
    assert sum(line["amountFen"] for line in quoted["lines"]) == sum(line.amount_fen for line in full.lines)
    assert sum(line["repeat"] for line in quoted["lines"]) == len(full.lines)
