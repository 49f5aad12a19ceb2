"""The exemption kinds a tariff may waive and the reason each one prints on the bill (from the tariffs catalogue).

A tariff lists the kinds its lot exempts (``Tariff.exempt``); a vehicle gets a kind from its plate (a 警 plate
is a police car) or from the lot's vehicle record (a sanitation truck registered as such). Texts live in
``texts.zh_CN.toml`` only, so a bill never shows a reason typed somewhere else in the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from parking.plates import PlateKind
from parking.tariffs import texts
from parking.vehicles.enums import ExemptKind

# Every kind's reason, from the tariffs catalogue (built at import, so a kind without a text fails there).
REASONS: Final[Mapping[ExemptKind, str]] = MappingProxyType({kind: texts.exempt_reason(kind) for kind in ExemptKind})

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
