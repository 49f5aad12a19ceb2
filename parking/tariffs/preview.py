"""A draft tariff's fees before it is saved: its problems, a fee curve and example quotes in one answer.

The editor asks this on every change, so it prices the document as sent (no stored version, no database) with the
same validation and engine that the saved version will use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from parking.tariffs.compiled import compile_tariff
from parking.tariffs.document import StayCategory, Tariff
from parking.tariffs.engine import quote
from parking.tariffs.simulate import SimulationRow, simulate
from parking.tariffs.stay import Quote
from parking.tariffs.validation import TariffProblem, validate_tariff
from parking.tariffs.vehicle import TariffVehicle


@dataclass(frozen=True, slots=True)
class TariffPreview:
    """``rows`` and ``quotes`` are empty when ``problems`` is not: a refused draft prices nothing."""

    problems: list[TariffProblem]
    rows: list[SimulationRow]
    quotes: list[Quote]


def preview_tariff(
    document: Mapping[str, Any],
    vehicle: TariffVehicle,
    entry: datetime,
    curve: Sequence[timedelta],
    examples: Sequence[timedelta],
    category: StayCategory = StayCategory.TEMPORARY,
) -> TariffPreview:
    """Validate ``document``; if valid, the fee of a stay of each ``curve`` length and an itemised quote of each
    ``examples`` length, all entering at ``entry``."""
    if problems := validate_tariff(document):
        return TariffPreview(problems, [], [])
    compiled = compile_tariff(Tariff.model_validate(document))
    rows = simulate(compiled, [vehicle.stay(entry, entry + span, category) for span in curve])
    quotes = [quote(vehicle.stay(entry, entry + span, category), compiled) for span in examples]
    return TariffPreview([], rows, quotes)
