"""How commands reach a device: what its registration says to the installer and the console."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from hardware.cameras.vzenith import HeartbeatMode, VzenithConfig
from parking.devices.commands import supported


class CommandDelivery(StrEnum):
    ADAPTER = "adapter"  # the cloud sends each command to the device itself (Modbus, ISAPI, the camera relay)
    POLL_REPLY = "poll_reply"  # comet polling: in the reply to the camera's held poll, at once
    PUSH_REPLY = "push_reply"  # normal heartbeat: in the reply to its next plate push, or by the lane's relay
    DETECTED = "detected"  # heartbeat mode not set: poll replies once the camera polls back at once
    NONE = "none"  # takes no commands


def command_delivery(config: Mapping[str, Any] | None, protocol: str) -> CommandDelivery:
    if protocol == "vzenith":
        mode = VzenithConfig.of(config).heartbeat
        if mode is HeartbeatMode.COMET:
            return CommandDelivery.POLL_REPLY
        if mode is HeartbeatMode.AUTO:
            return CommandDelivery.DETECTED
        return CommandDelivery.PUSH_REPLY
    return CommandDelivery.ADAPTER if supported(config or {}, protocol) else CommandDelivery.NONE
