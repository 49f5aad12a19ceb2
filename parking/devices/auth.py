"""Per-device push secrets: stored as sha256, shown once when issued, optionally bound to an IP allow-list."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.tenancy.models import Device


class DeviceAuthFailure(StrEnum):
    UNKNOWN_DEVICE = "unknown_device"
    BAD_SECRET = "bad_secret"
    IP_NOT_ALLOWED = "ip_not_allowed"


class DeviceAuthError(Exception):
    def __init__(self, failure: DeviceAuthFailure) -> None:
        super().__init__(failure.value)
        self.failure = failure


def hash_secret(secret: str) -> str:
    # A random 32-byte secret needs no slow hash: sha256 is enough and keeps the lane hot path fast.
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_secret(device: Device) -> str:
    """A new secret for ``device``; only its hash is kept, so the caller must hand it over now."""
    secret = secrets.token_urlsafe(32)
    device.secret_hash = hash_secret(secret)
    return secret


def ip_allowed(ip: str, allowed: list[str]) -> bool:
    """An empty list allows every address; entries are addresses or networks (``10.0.0.0/24``)."""
    if not allowed:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


async def authenticate_device(session: AsyncSession, serial: str, secret: str, ip: str) -> Device:
    """The device pushing as ``serial``; raises DeviceAuthError. The session must be in the internal scope."""
    device = await session.scalar(select(Device).where(Device.serial == serial))
    # Unknown serial and wrong secret are told apart only in logs' codes, never in timing of the compare.
    if device is None:
        raise DeviceAuthError(DeviceAuthFailure.UNKNOWN_DEVICE)
    if not device.secret_hash or not hmac.compare_digest(device.secret_hash, hash_secret(secret)):
        raise DeviceAuthError(DeviceAuthFailure.BAD_SECRET)
    if not ip_allowed(ip, device.allowed_ips):
        raise DeviceAuthError(DeviceAuthFailure.IP_NOT_ALLOWED)
    return device
