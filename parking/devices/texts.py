"""What device alarms say, in Chinese: one place to reword them."""

from __future__ import annotations

from datetime import datetime, timedelta


def duration(span: timedelta) -> str:
    """``75 s`` -> ``1分15秒``; ``2 h 5 min`` -> ``2小时5分``; whole seconds, never negative."""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}小时{minutes}分"
    if minutes:
        return f"{minutes}分{secs}秒"
    return f"{secs}秒"


def silence(last_seen_at: datetime | None, now: datetime) -> str:
    """How long the device has been silent, from its recorded last sign of life."""
    if last_seen_at is None:
        return "从未上线"
    return f"已{duration(now - last_seen_at)}无响应"


def device_offline(name: str, serial: str, last_seen_at: datetime | None, now: datetime, error: str) -> str:
    reason = f"（{error}）" if error else ""
    return f"设备 {name}（{serial}）离线：{silence(last_seen_at, now)}{reason}"


LANE_OFFLINE = "通道全部设备离线"
LANE_BACK = "通道设备恢复在线"
DEVICE_BACK = "设备恢复在线"
