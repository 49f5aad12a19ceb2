"""Who is pushing: devices are known by serial and prove it with a per-device secret (or an IP allow-list).

A refused push is recorded: an unknown serial as a platform-level refusal (no lot to alarm), a known device
with a wrong secret or address as an alarm in its lot, so a swapped or spoofed camera is noticed. Secrets are
issued here too (``issue_secret``): only their hash is stored, the secret is shown once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hardware.cameras.configs import MIN_OFFLINE_AFTER_S
from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.common.domain_events import emit
from parking.devices import camera_clock
from parking.devices import texts as device_texts
from parking.devices.models import Device, DeviceRefusal, DeviceStatus
from parking.devices.status import Observation, record_observation

if TYPE_CHECKING:
    from parking.devices.cache import DeviceCache

# last_seen is written at most this often, not on every push: a quarter of the smallest silence limit a device
# may have, so the recorded time is never coarse enough to take a device that keeps calling offline.
SEEN_EVERY = timedelta(seconds=MIN_OFFLINE_AFTER_S / 4)


class Refusal(StrEnum):
    UNKNOWN_DEVICE = "unknown_device"
    BAD_SECRET = "bad_secret"
    IP_NOT_ALLOWED = "ip_not_allowed"
    NO_LANE = "no_lane"
    MALFORMED = "malformed"


class DeviceRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    device_id: int
    lane_id: int | None
    lot_id: int
    timezone_hint: str = "Asia/Shanghai"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def credential_refusal(
    secret_hash: str | None, allowed_ips: Sequence[str], secret: str | None, ip: str | None
) -> Refusal | None:
    """Why a push with ``secret`` from ``ip`` is not this device's, or None: an allow-list must hold the
    address, and the secret must match unless the device has an allow-list and no secret (cameras that cannot
    send one are trusted by address alone)."""
    if allowed_ips and ip not in allowed_ips:
        return Refusal.IP_NOT_ALLOWED
    if allowed_ips and not secret_hash:
        return None
    if secret_hash and secret and hmac.compare_digest(secret_hash, hash_secret(secret)):
        return None
    return Refusal.BAD_SECRET


async def authenticate(
    session: AsyncSession,
    protocol: str,
    serial: str,
    secret: str | None,
    ip: str | None,
    now: datetime,
    *,
    need_lane: bool = True,
    cache: DeviceCache | None = None,
) -> DeviceIdentity:
    """The pushing device, or DeviceRefused (recorded in ``session``; the caller commits it). With ``cache``,
    a device found online is remembered once the transaction commits (see ``parking.devices.cache``)."""
    # Known by serial, or by the MAC it reported at registration (a Hikvision alert carries no serial).
    device = await session.scalar(
        select(Device)
        .where(or_(Device.serial == serial, Device.mac == serial))
        .order_by(Device.serial != serial)
        .limit(1)
    )
    if device is None:
        await record_refusal(session, protocol, serial, ip, Refusal.UNKNOWN_DEVICE, "serial not registered", now)
        raise DeviceRefused(Refusal.UNKNOWN_DEVICE, serial)
    reason = credential_refusal(device.secret_hash, device.allowed_ips or [], secret, ip)
    if reason is not None:
        await raise_alarm(
            session,
            LotRef(device.agent_id, device.customer_id, device.lot_id),
            AlarmKind.UNKNOWN_DEVICE,
            device_texts.text(device_texts.DeviceText.PUSH_REFUSED, serial=serial, reason=device_texts.refusal(reason)),
            now=now,
            device_id=device.id,
            lane_id=device.lane_id,
            details={"ip": ip or "", "reason": reason.value},
        )
        raise DeviceRefused(reason, serial)
    silent_from = camera_clock.silent_since(device.last_seen_at, now)
    if silent_from is not None:
        # Heard again after a silence: its replayed records were made after it was last heard (camera_clock).
        await camera_clock.record_silence(session, device.id, silent_from, now)
    if device.status != DeviceStatus.ONLINE:
        # Back from offline (or first contact): the status change resolves its alarms and is published. Not
        # remembered: this commit changes the device, and its next push finds it online.
        locked = await session.scalar(
            select(Device).where(Device.id == device.id).with_for_update().execution_options(populate_existing=True)
        )
        if locked is not None:
            await record_observation(session, locked, Observation(online=True, seen_at=now, ip=ip), now=now)
    else:
        seen_at = device.last_seen_at
        if seen_at is None or now - seen_at >= SEEN_EVERY:
            seen_at = now
            await session.execute(
                update(Device)
                .where(Device.id == device.id)
                .values(last_seen_at=now, ip=ip or device.ip)
                .execution_options(synchronize_session=False)
            )
        if cache is not None:
            emit(session, cache.seen(device, seen_at))
    if need_lane and device.lane_id is None:
        raise DeviceRefused(Refusal.NO_LANE, serial)
    return DeviceIdentity(device.id, device.lane_id, device.lot_id)


async def record_refusal(
    session: AsyncSession, protocol: str, serial: str, ip: str | None, reason: Refusal, detail: str, now: datetime
) -> None:
    session.add(
        DeviceRefusal(
            at=now,
            protocol=protocol[:16],
            serial=serial[:64],
            ip=(ip or "")[:64],
            reason=reason.value,
            detail=detail[:200],
        )
    )


def issue_secret(device: Device) -> str:
    """A new secret for ``device``; only its hash is kept, so the caller must hand it over now."""
    secret = new_secret()
    device.secret_hash = hash_secret(secret)
    return secret
