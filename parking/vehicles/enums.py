"""Enumerations of the vehicles domain, and the pattern of a vehicle class name."""

from __future__ import annotations

import re
from enum import StrEnum


class PassPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PassStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


# A class name in a tariff: a built-in VehicleClass or one the lot declares (``tricycle``, ``minibus``...).
CLASS_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


class ExemptKind(StrEnum):
    # The first four are the stay categories a tariff could always exempt (StayCategory's values).
    MONTHLY = "monthly"
    EXEMPT = "exempt"
    EMERGENCY = "emergency"
    MILITARY = "military"
    POLICE = "police"
    FIRE = "fire"
    AMBULANCE = "ambulance"
    DISASTER_RELIEF = "disaster_relief"
    MUNICIPAL_REPAIR = "municipal_repair"
    SANITATION = "sanitation"
    FUNERAL = "funeral"
    DISABLED = "disabled"
    SCHOOL_BUS = "school_bus"
