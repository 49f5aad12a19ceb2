"""Enumerations of the tenancy domain."""

from __future__ import annotations

from enum import StrEnum


class LaneDirection(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"


class LaneMode(StrEnum):
    AUTO = "auto"  # decisions open the barrier by themselves
    ATTENDED = "attended"  # a booth operator confirms each release
    REMOTE = "remote"  # a cloud-seat operator confirms each release


class DuplicateEntryPolicy(StrEnum):
    CLOSE_AT_ZERO = "close_at_zero"
    FLAG_ABNORMAL = "flag_abnormal"
    CARRY_AS_ARREARS = "carry_as_arrears"


class VehicleCategory(StrEnum):
    TEMPORARY = "temporary"  # 临时车
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    VISITOR = "visitor"  # 登记临时车
    EXEMPT = "exempt"  # 军警消防救护
    VIP = "vip"
    OFFICIAL = "official"  # 公务车
    TEAM = "team"  # 车队
    TIME_CONTROLLED = "time_controlled"  # 时控车
    OFF_PEAK = "off_peak"  # 错峰车
    BLACKLIST = "blacklist"


class VehicleClass(StrEnum):
    SMALL = "small"
    LARGE = "large"
    MOTORCYCLE = "motorcycle"
    NEW_ENERGY = "new_energy"
