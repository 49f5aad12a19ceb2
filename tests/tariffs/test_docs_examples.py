"""Every worked-example table in docs/tariffs.md is quoted with its sample and must show the engine's fee."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from parking.plates import PlateColor
from parking.tariffs import Stay, StayCategory, VehicleClass, quote
from parking.tariffs.samples import ALL, CST
from parking.vehicles.enums import ExemptKind

DOC = Path(__file__).resolve().parents[2] / "docs" / "tariffs.md"
TABLE = re.compile(
    r"<!-- quote-table sample=(\w+) -->\n"
    r"\| vehicle \| entry \| exit \| computation \| fee \(元\) \|\n\|[-|]+\|\n((?:\|.*\|\n)+)"
)


def _at(text: str, day: str) -> datetime:
    full = text if len(text) > 8 else f"{day} {text}"
    fmt = "%Y-%m-%d %H:%M:%S" if full.count(":") == 2 else "%Y-%m-%d %H:%M"
    return datetime.strptime(full, fmt).replace(tzinfo=CST)


def _stay(vehicle: str, entry_text: str, exit_text: str) -> Stay:
    vc, *extra = vehicle.split()
    entry = _at(entry_text, "")
    stay = Stay(entry, _at(exit_text, entry_text.split()[0]), VehicleClass(vc))
    for word in extra:
        if word in StayCategory.__members__.values():
            stay = Stay(stay.entry, stay.exit, stay.vehicle_class, stay.plate_color, StayCategory(word))
        elif word in ExemptKind.__members__.values():
            stay = replace(stay, exempt_kind=ExemptKind(word))
        else:
            stay = Stay(stay.entry, stay.exit, stay.vehicle_class, PlateColor(word), stay.category)
    return stay


def _rows() -> list[tuple[str, str, Stay, int]]:
    out = []
    for sample, body in TABLE.findall(DOC.read_text(encoding="utf-8")):
        for line in body.splitlines():
            vehicle, entry, exit_, how, fee = (cell.strip() for cell in line.strip("|").split("|"))
            out.append((sample, how, _stay(vehicle, entry, exit_), int(Decimal(fee) * 100)))
    return out


ROWS = _rows()


def test_every_sample_has_a_worked_example_table() -> None:
    assert sorted({sample for sample, *_ in ROWS}) == sorted(ALL)
    assert len(ROWS) == 95


@pytest.mark.parametrize(("sample", "how", "stay", "fee"), ROWS, ids=[f"{r[0]}-{i}" for i, r in enumerate(ROWS)])
def test_documented_fee(sample: str, how: str, stay: Stay, fee: int) -> None:
    q = quote(stay, ALL[sample]())

    assert q.fee_fen == fee, how
    assert sum(line.amount_fen for line in q.lines) == fee
