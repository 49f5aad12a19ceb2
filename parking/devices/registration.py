"""Registering a device: validate its typed config, probe it for its identity, keep it "retrying" if unreachable.

Also the plain record changes: a device created, changed or deleted without probing it.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hardware.errors import DeviceError, InvalidDeviceConfig
from hardware.registry import AdapterDeps, DeviceConfig, config_document, parse_device_config, secret_fields
from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.common.events import devices_topic, publish_on_commit
from parking.devices import inputs
from parking.devices.auth import issue_secret
from parking.devices.models import Device, DeviceStatus
from parking.devices.probe import (
    DEFAULT_PROBE_TIMEOUT_S,
    PUSH_ONLY,
    config_host,
    identify,
    identity_key,
)
from parking.tenancy.models import Lane, Lot

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Registered:
    device: Device
    secret: str  # the push secret, returned this once


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def config_field(problem: str, config_type: str) -> str:
    """``modbus_relay.port: ...`` -> ``config.port``; a problem with the union itself is ``config.type``."""
    location = problem.split(": ", 1)[0]
    parts = location.split(".")
    if parts and parts[0] == config_type:
        parts = parts[1:]
    if not parts or parts == ["(root)"]:
        return "config.type"
    return "config." + ".".join(_camel(p) for p in parts)


def validate_config(raw: dict[str, object]) -> DeviceConfig:
    try:
        return parse_device_config(raw)
    except InvalidDeviceConfig as err:
        first = err.errors[0] if err.errors else str(err)
        field = config_field(first, str(raw.get("type", "")))
        raise DomainError(ErrorCode.INVALID, f"{field}: {first.split(': ', 1)[-1]}", field) from err


async def register_device(
    session: AsyncSession,
    actor: Actor,
    data: inputs.DeviceRegister,
    *,
    now: datetime,
    probe_timeout_s: float = DEFAULT_PROBE_TIMEOUT_S,
    deps: AdapterDeps | None = None,
) -> Registered:
    config = validate_config(data.config)
    # Scope first: nobody may make the cloud probe addresses for a lot they cannot see.
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    lane_id = None
    if data.lane_id is not None:
        lane = await crud.get(session, Lane, data.lane_id, "laneId")
        if lane.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "lane belongs to another lot", "laneId")
        lane_id = lane.id
    status, serial, firmware, error = DeviceStatus.RETRYING, data.serial, "", ""
    mac: str | None = None
    try:
        identity = await identify(config, probe_timeout_s, deps)
    except DeviceError as err:
        error = str(err) or type(err).__name__
        logger.info("device %s unreachable at registration, kept as retrying: %s", data.name, error)
    else:
        # A push-only device cannot be asked anything: it is unknown until it first calls.
        status = DeviceStatus.UNKNOWN if isinstance(config, PUSH_ONLY) else DeviceStatus.ONLINE
        serial = identity_key(identity) or data.serial
        mac = identity.mac
        firmware = identity.firmware or ""
        if serial is None:
            raise DomainError(ErrorCode.INVALID, "the device reports no serial or MAC: give its serial", "serial")
    device = Device(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        lane_id=lane_id,
        kind=data.kind,
        name=data.name,
        model=data.model,
        # Until a retrying device answers, a placeholder keeps the unique serial column honest.
        serial=(serial or f"pending-{secrets.token_hex(8)}")[:64],
        mac=mac,
        ip=config_host(config) or "",
        protocol=str(getattr(config, "type", "")),
        config=config_document(config),
        allowed_ips=list(data.allowed_ips),
        status=status,
        firmware=firmware[:64],
        last_seen_at=now if status is DeviceStatus.ONLINE else None,
        error_count=1 if error else 0,
        consecutive_failures=1 if error else 0,
        last_error=error[:200],
    )
    secret = issue_secret(device)
    device = await crud.create(session, actor, device)
    publish_on_commit(session, devices_topic(lot.id), {"id": device.id})
    return Registered(device, secret)


async def rotate_secret(session: AsyncSession, actor: Actor, device_id: str) -> Registered:
    device = await crud.get(session, Device, device_id)
    before = device.secret_hash
    secret = issue_secret(device)
    new_hash, device.secret_hash = device.secret_hash, before
    # Through crud.update so the change is audited (the audit snapshot never holds secrets in clear).
    device = await crud.update(session, actor, device, {"secret_hash": new_hash})
    return Registered(device, secret)


async def create_device(session: AsyncSession, actor: Actor, data: inputs.DeviceCreate) -> Device:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    lane_id = None
    if data.lane_id is not None:
        lane = await crud.get(session, Lane, data.lane_id, "laneId")
        if lane.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "lane belongs to another lot", "laneId")
        lane_id = lane.id
    device = Device(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        lane_id=lane_id,
        **data.model_dump(exclude={"lot_id", "lane_id"}),
    )
    return await crud.create(session, actor, device)


def _config_change(device: Device, raw: dict[str, object]) -> dict[str, object]:
    """The columns a new configuration changes. Its type and identity (serial, MAC) are the device's: pushes are
    matched by them, so changing either is a new device (removed and registered again), not an edit."""
    stored = device.config or {}
    try:
        kept = secret_fields(parse_device_config(dict(stored)))
    except InvalidDeviceConfig:
        kept = frozenset()
    # Secrets are never read back (public_config), so an edit that leaves one out keeps it.
    config = validate_config({**{k: stored[k] for k in kept if k in stored and k not in raw}, **raw})
    document = config_document(config)
    if device.protocol and document["type"] != device.protocol:
        raise DomainError(ErrorCode.INVALID, "a device keeps its protocol: register it again for another", "config")
    for key in ("serial", "mac"):
        if document.get(key) != stored.get(key):
            raise DomainError(ErrorCode.INVALID, f"config.{key} identifies the device and cannot change", "config")
    changes: dict[str, object] = {"config": document, "protocol": document["type"]}
    if host := config_host(config):
        changes["ip"] = host
    return changes


async def update_device(session: AsyncSession, actor: Actor, device_id: str, data: inputs.DeviceUpdate) -> Device:
    device = await crud.get(session, Device, device_id)
    changes = crud.changes_of(data, exclude=frozenset({"config"}))
    if data.config is not None:
        changes.update(_config_change(device, data.config))
    if "lane_id" in changes:
        lane = await crud.get(session, Lane, changes["lane_id"], "laneId")
        if lane.lot_id != device.lot_id:
            raise DomainError(ErrorCode.INVALID, "lane belongs to another lot", "laneId")
        changes["lane_id"] = lane.id
    return await crud.update(session, actor, device, changes)


async def delete_device(session: AsyncSession, actor: Actor, device_id: str) -> int:
    return await crud.delete(session, actor, await crud.get(session, Device, device_id))
