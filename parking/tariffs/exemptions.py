"""The exemption kinds a tariff may waive and the reason each one prints on the bill (zh-CN, the catalogue).

A tariff lists the kinds its lot exempts (``Tariff.exempt``); a vehicle gets a kind from its plate (a 警 plate
is a police car) or from the lot's vehicle record (a sanitation truck registered as such). Texts live here
only, so a bill never shows a reason typed somewhere else in the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from parking.plates import PlateKind
from parking.vehicles.enums import ExemptKind

REASONS: Final[Mapping[ExemptKind, str]] = MappingProxyType(
    {
        ExemptKind.MONTHLY: "月租车",
        ExemptKind.EXEMPT: "免费车辆",
        ExemptKind.EMERGENCY: "执行任务的应急救援车辆",
        ExemptKind.MILITARY: "军车",
        ExemptKind.POLICE: "警车",
        ExemptKind.FIRE: "消防车",
        ExemptKind.AMBULANCE: "救护车",
        ExemptKind.DISASTER_RELIEF: "抢险救灾车辆",
        ExemptKind.MUNICIPAL_REPAIR: "市政工程抢修车辆",
        ExemptKind.SANITATION: "环卫车辆",
        ExemptKind.FUNERAL: "殡葬车辆",
        ExemptKind.DISABLED: "残疾人驾驶的车辆",
        ExemptKind.SCHOOL_BUS: "校车",
    }
)

# What a plate's characters alone say: only the police plate (white, red 警) names a kind that lots exempt.
PLATE_EXEMPTIONS: Final[Mapping[PlateKind, ExemptKind]] = MappingProxyType({PlateKind.POLICE: ExemptKind.POLICE})

# What a tariff exempts when its document does not say: 军警 and emergency vehicles, and pass holders.
DEFAULT_KINDS: Final = (
    ExemptKind.MONTHLY,
    ExemptKind.EXEMPT,
    ExemptKind.EMERGENCY,
    ExemptKind.MILITARY,
    ExemptKind.POLICE,
)


def reason(kind: ExemptKind) -> str:
    """The catalogue's reason text for ``kind``."""
    return REASONS[kind]


def default_exempt() -> dict[ExemptKind, str]:
    return {kind: REASONS[kind] for kind in DEFAULT_KINDS}
