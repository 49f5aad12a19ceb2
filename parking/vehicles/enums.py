"""Enumerations of the vehicles domain."""

from __future__ import annotations

from enum import StrEnum


class PassPeriod(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PassStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"
