"""The tariff document: pydantic models stored per lot/area and vehicle class, versioned by effective date."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
)

from parking.plates import PlateColor
from parking.tariffs.exemptions import default_exempt, reason
from parking.vehicles.enums import CLASS_NAME, ExemptKind

Fen = Annotated[int, Field(ge=0)]


class VehicleClass(StrEnum):
    """The classes every lot knows; a tariff may declare its own beside them (see ``ClassKey``)."""

    SMALL = "small"
    LARGE = "large"
    MOTORCYCLE = "motorcycle"
    NEW_ENERGY = "new_energy"


ClassKey = Annotated[str, StringConstraints(pattern=f"^{CLASS_NAME.pattern}$")]


class StayCategory(StrEnum):
    TEMPORARY = "temporary"
    MONTHLY = "monthly"
    EXEMPT = "exempt"
    EMERGENCY = "emergency"
    MILITARY = "military"


class _Doc(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FreeTime(_Doc):
    """Free minutes. ``charge_from_start``: over the limit all is charged; ``free_part_free``: never."""

    minutes: Annotated[int, Field(ge=0)] = 0
    mode: Literal["charge_from_start", "free_part_free"] = "charge_from_start"
    first_24h_only: bool = True


class FirstPeriod(_Doc):
    """首小时/首段: a flat price for the first ``minutes`` once charging starts."""

    minutes: Annotated[int, Field(gt=0)]
    price_fen: Fen
    first_24h_only: bool = True


class Period(_Doc):
    """A time-of-day period [start, end) end <= start wraps past midnight; start == end: all day.

    Priced per unit (``unit_minutes`` + ``unit_price_fen``) or per occurrence (``flat_fen``, e.g. 夜间按次).
    """

    name: Annotated[str, Field(min_length=1)]
    start: time
    end: time
    unit_minutes: Annotated[int, Field(gt=0)] | None = None
    unit_price_fen: Fen | None = None
    flat_fen: Fen | None = None


class Caps(_Doc):
    """Maximum per day; ``daily_fen`` escalates per successive day (the last value repeats)."""

    basis: Literal["rolling_24h", "calendar_day"] = "rolling_24h"
    daily_fen: list[Fen] = []
    full_day_hours: Annotated[int, Field(gt=0)] | None = None
    full_day_rate_period: str | None = None


class TimedRule(_Doc):
    kind: Literal["timed"] = "timed"
    free: FreeTime = FreeTime()
    first_period: FirstPeriod | None = None
    periods: list[Period]
    holiday_periods: list[Period] | None = None
    partial_unit: Literal["whole", "drop"] = "whole"
    unit_rounding: Literal["per_segment", "whole_stay"] = "per_segment"
    caps: Caps | None = None
    # A second cap on the other basis, applied together with ``caps`` (每自然日最高 and 每24小时最高 at once).
    second_caps: Caps | None = None


class PerEntryRule(_Doc):
    """按次: a flat price per entry, optionally again for every started 24 h."""

    kind: Literal["per_entry"] = "per_entry"
    free: FreeTime = FreeTime()
    price_fen: Fen
    charge_each_24h: bool = False
    no_second_charge_within_24h: bool = False


def _rule_kind(value: Any) -> str:
    # "kind" may be left out of a JSON document (exclude_defaults drops it): a price_fen means per entry.
    if isinstance(value, dict):
        return str(value.get("kind") or ("per_entry" if "price_fen" in value else "timed"))
    return str(getattr(value, "kind", "timed"))


Rule = Annotated[
    Annotated[TimedRule, Tag("timed")] | Annotated[PerEntryRule, Tag("per_entry")],
    Discriminator(_rule_kind),
]


class ClassTariff(_Doc):
    """An own ``rule``, or ``same_as`` another class with its prices and caps times ``multiplier_percent``.

    ``label`` names a lot-declared class for people (三轮车); built-in classes need none.
    """

    rule: Rule | None = None
    same_as: ClassKey | None = None
    multiplier_percent: Annotated[int, Field(gt=0)] = 100
    label: Annotated[str, Field(max_length=20)] = ""


class Calendar(_Doc):
    """Holidays and make-up workdays (调休) as data; weekend days (0 = Monday) count as holidays."""

    holidays: list[date] = []
    workdays: list[date] = []
    weekend_days: list[Annotated[int, Field(ge=0, le=6)]] = [5, 6]


class NewEnergyOverlay(_Doc):
    """Extra free minutes once per stay (not repeated across days) and a percentage discount."""

    extra_free_minutes: Annotated[int, Field(ge=0)] = 0
    discount_percent: Annotated[int, Field(ge=0, le=100)] = 0
    plate_colors: list[PlateColor] = [PlateColor.GREEN, PlateColor.YELLOW_GREEN]


class Rounding(_Doc):
    unit: Literal["fen", "jiao", "yuan"] = "fen"
    mode: Literal["up", "down", "half_up"] = "half_up"


DEFAULT_EXEMPT = default_exempt()


def _exempt_map(value: Any) -> Any:
    # A list of kinds takes each kind's reason from the catalogue; a map gives the lot's own wording.
    if isinstance(value, list | tuple):
        return {kind: reason(ExemptKind(kind)) for kind in value}
    return value


class Tariff(_Doc):
    """One version of a lot's (or area's) tariff; classes not listed are priced as ``small``."""

    name: Annotated[str, Field(min_length=1)]
    version: Annotated[int, Field(ge=1)] = 1
    effective_from: AwareDatetime
    timezone: str = "Asia/Shanghai"
    calendar: Calendar = Calendar()
    classes: dict[ClassKey, ClassTariff]
    new_energy: NewEnergyOverlay | None = None
    exempt: Annotated[dict[ExemptKind, str], BeforeValidator(_exempt_map)] = Field(default_factory=default_exempt)
    rounding: Rounding = Rounding()
    # How this version treats stays that entered under an earlier one: False keeps the version in force at
    # their entry for the whole stay; True prices them with this version from ``effective_from`` on (split).
    split_stays_in_progress: bool = False

    # The compiled form is cached on the (immutable) document so repeated quotes skip compilation.
    _compiled: object = PrivateAttr(default=None)


__all__ = [
    "Calendar",
    "Caps",
    "ClassKey",
    "ClassTariff",
    "FirstPeriod",
    "FreeTime",
    "NewEnergyOverlay",
    "PerEntryRule",
    "Period",
    "Rounding",
    "Rule",
    "StayCategory",
    "Tariff",
    "TimedRule",
    "VehicleClass",
]
