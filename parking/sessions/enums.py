"""Enumerations of the sessions domain."""

from __future__ import annotations

from enum import StrEnum


class SessionState(StrEnum):
    IN_LOT = "in_lot"
    EXITED = "exited"
    ABNORMAL = "abnormal"


class ReleaseMethod(StrEnum):
    AUTOMATIC = "automatic"  # 自动放行
    SOFTWARE = "software"  # 软件放行: an operator, with a reason
    EXIT_SCAN = "exit_scan"  # 出口扫码
    FREE = "free"
    PREPAID = "prepaid"
    FRICTIONLESS = "frictionless"  # 无感支付


class ReadingSource(StrEnum):
    CAMERA = "camera"
    CLOUD = "cloud"  # cloud recognition
    OPERATOR = "operator"  # corrected or typed by a person
    EDGE = "edge"  # decided by the lot edge agent while offline
    QR_SCAN = "qr_scan"  # no-plate vehicles


class EventKind(StrEnum):
    ENTRY = "entry"
    EXIT = "exit"
    INNER_ENTRY = "inner_entry"
    INNER_EXIT = "inner_exit"
