"""What device alarms say: typed keys into the devices catalogue (``texts.zh_CN.toml``, ``texts.en.toml``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum, auto
from typing import Final

from parking.common.catalogue import Catalogue


class DeviceText(StrEnum):
    SPAN_HOURS = auto()
    SPAN_MINUTES = auto()
    SPAN_SECONDS = auto()
    NEVER_SEEN = auto()
    SILENT_FOR = auto()
    OFFLINE_REASON = auto()
    DEVICE_OFFLINE = auto()
    LANE_OFFLINE = auto()
    LANE_BACK = auto()
    DEVICE_BACK = auto()
    CAMERA_CLOCK_OFF = auto()
    PUSH_REFUSED = auto()
    FIELDS_DROPPED = auto()
    GATE_FAILED = auto()
    REPLAY_TIME_DOUBTED = auto()
    # Why a device's push was refused, by refusal code (the key is "refusal_" + the code).
    REFUSAL_UNKNOWN_DEVICE = auto()
    REFUSAL_BAD_SECRET = auto()
    REFUSAL_IP_NOT_ALLOWED = auto()
    REFUSAL_NO_LANE = auto()
    REFUSAL_MALFORMED = auto()


CATALOGUE: Final = Catalogue.load(DeviceText, __name__.rpartition(".")[0])


def text(key: DeviceText, /, **params: object) -> str:
    """``key`` in zh-CN, the alarms' language."""
    return CATALOGUE.text(key, **params)


def duration(span: timedelta) -> str:
    """``75 s`` -> ``1分15秒``; ``2 h 5 min`` -> ``2小时5分``; whole seconds, never negative."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return text(DeviceText.SPAN_HOURS, hours=hours, minutes=minutes)
    if minutes:
        return text(DeviceText.SPAN_MINUTES, minutes=minutes, seconds=secs)
    return text(DeviceText.SPAN_SECONDS, seconds=secs)


def silence(last_seen_at: datetime | None, now: datetime) -> str:
    """How long the device has been silent, from its recorded last sign of life."""
    if last_seen_at is None:
        return text(DeviceText.NEVER_SEEN)
    return text(DeviceText.SILENT_FOR, span=duration(now - last_seen_at))


def device_offline(name: str, serial: str, last_seen_at: datetime | None, now: datetime, error: str) -> str:
    reason = text(DeviceText.OFFLINE_REASON, error=error) if error else ""
    return text(DeviceText.DEVICE_OFFLINE, name=name, serial=serial, silence=silence(last_seen_at, now), reason=reason)


def refusal(code: str) -> str:
    """Why a push was refused, for refusal code ``code`` (a ``Refusal`` value)."""
    return text(DeviceText(f"refusal_{code}"))


LANE_OFFLINE: Final = text(DeviceText.LANE_OFFLINE)
LANE_BACK: Final = text(DeviceText.LANE_BACK)
DEVICE_BACK: Final = text(DeviceText.DEVICE_BACK)
