"""Tariffs: the document format, validation and the pure fee engine (issue 3)."""

from parking.tariffs.compiled import CompiledTariff, InvalidTariff, compile_tariff
from parking.tariffs.document import StayCategory, Tariff, VehicleClass
from parking.tariffs.engine import pick_versions, quote, quote_split, quote_versions, version_at, version_pieces
from parking.tariffs.simulate import SimulationRow, simulate, standard_durations
from parking.tariffs.stay import InvalidStay, LineKind, NoTariffInForce, Quote, QuoteLine, Stay
from parking.tariffs.validation import TariffProblem, parse_tariff, validate_tariff

__all__ = [
    "CompiledTariff",
    "InvalidStay",
    "InvalidTariff",
    "LineKind",
    "NoTariffInForce",
    "Quote",
    "QuoteLine",
    "SimulationRow",
    "Stay",
    "StayCategory",
    "Tariff",
    "TariffProblem",
    "VehicleClass",
    "compile_tariff",
    "parse_tariff",
    "pick_versions",
    "quote",
    "quote_split",
    "quote_versions",
    "simulate",
    "standard_durations",
    "validate_tariff",
    "version_at",
    "version_pieces",
]
