"""Our device error hierarchy; vendor exceptions (pymodbus, pysnmp, OSError) are translated into these."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hardware.base import GateState


class DeviceError(Exception):
    """Base of every error raised by a device adapter."""


class DeviceUnavailable(DeviceError):
    """The device cannot be reached (refused, dropped, unroutable); the caller marks it "retrying"."""


class DeviceTimeout(DeviceUnavailable):
    """The device did not answer within the configured timeout."""


class DeviceRefused(DeviceError):
    """The device answered but refused the command (e.g. a barrier will not close on a vehicle)."""


class DeviceProtocolError(DeviceError):
    """The device answered something we cannot use (exception response, malformed or missing value)."""


class GateFailedToOpen(DeviceError):
    """The open command was accepted but the barrier never reported open; callers raise an alarm on this."""

    def __init__(self, message: str, last_state: GateState | None) -> None:
        super().__init__(message)
        self.last_state = last_state


class InvalidDeviceConfig(DeviceError, ValueError):
    """A device configuration was rejected; ``errors`` lists each problem as ``location: message``."""

    def __init__(self, message: str, errors: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.errors = errors


class UnknownDevice(DeviceError):
    """A message arrived for a device nobody registered."""
