"""Bad stays are refused with a typed error; payments already made are itemised."""

from datetime import UTC, datetime, timedelta

import pytest

from parking.tariffs import InvalidStay, LineKind, Stay, quote
from parking.tariffs.samples import CST, airport

TARIFF = airport()
ENTRY = datetime(2026, 3, 2, 9, tzinfo=CST)


@pytest.mark.parametrize(
    ("stay", "field"),
    [
        (Stay(datetime(2026, 3, 2, 9), ENTRY), "entry"),
        (Stay(ENTRY, datetime(2026, 3, 2, 10)), "exit"),
        (Stay(ENTRY, ENTRY - timedelta(seconds=1)), "exit"),
        (Stay(ENTRY, ENTRY + timedelta(hours=1), paid_fen=-1), "paid_fen"),
    ],
)
def test_bad_stays_are_refused(stay: Stay, field: str) -> None:
    with pytest.raises(InvalidStay) as err:
        quote(stay, TARIFF)
    assert err.value.field == field


def test_partly_paid_stay_owes_the_rest() -> None:
    q = quote(Stay(ENTRY, ENTRY + timedelta(hours=2), paid_fen=500), TARIFF)

    assert (q.fee_fen, q.paid_fen, q.due_fen) == (800, 500, 300)
    assert [line.amount_fen for line in q.lines if line.kind is LineKind.PAID] == [-500]
    assert sum(line.amount_fen for line in q.lines) == 300


def test_overpaid_stay_owes_nothing() -> None:
    q = quote(Stay(ENTRY, ENTRY + timedelta(hours=2), paid_fen=1000), TARIFF)

    assert (q.fee_fen, q.due_fen) == (800, 0)
    assert sum(line.amount_fen for line in q.lines) == 0


def test_line_times_are_in_lot_time() -> None:
    q = quote(Stay(ENTRY, ENTRY + timedelta(hours=2)), TARIFF)

    units = next(line for line in q.lines if line.kind is LineKind.UNITS)
    start, end = q.line_times(units)
    assert (start.isoformat(), end.isoformat()) == ("2026-03-02T10:00:00+08:00", "2026-03-02T11:00:00+08:00")


def test_utc_entry_gives_the_same_fee_as_local() -> None:
    utc_entry = ENTRY.astimezone(UTC)

    assert quote(Stay(utc_entry, ENTRY + timedelta(hours=2)), TARIFF).fee_fen == 800
