"""Sending a command to a device: checked against what its adapter can do, executed after commit."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.domain_events import DomainEvent, emit
from parking.common.errors import DomainError, ErrorCode
from parking.common.services import ServiceKey, Services
from parking.devices import inputs, whitelist
from parking.devices.models import Device, DeviceCommand, DeviceCommandKind, DeviceStatus
from parking.devices.wakeup import wake_on_commit

logger = logging.getLogger(__name__)

#: Runs (or queues) the command with this id; set by the composition root in ``Database.services``.
Dispatch = Callable[[int], Awaitable[None]]
DISPATCH_SERVICE = ServiceKey[Dispatch]("device_commands")


@dataclass(frozen=True, slots=True)
class DeviceCommandQueued(DomainEvent):
    """A device command waits for its executor."""

    command_id: int


# A gate opened a minute after the operator asked would open for the wrong car.
COMMAND_TTL = timedelta(seconds=30)

# A camera polls every few seconds; a whitelist that arrives a few minutes late still does its job.
WHITELIST_TTL = timedelta(minutes=10)

_GATE = frozenset({DeviceCommandKind.OPEN_GATE, DeviceCommandKind.CLOSE_GATE})
#: Devices whose open travels in the reply to the lane camera's next poll (``info: "ok"`` for Vzenith,
#: ``"open": true`` for the generic push): the camera's relay, or the push camera itself.
OPENED_BY_CAMERA_POLL = frozenset({"camera_io", "vzenith", "generic_push"})
#: What each adapter type can be told to do (REBOOT only where a power relay is wired, see ``supported``).
SUPPORTED: dict[str, frozenset[DeviceCommandKind]] = {
    "modbus_relay": _GATE,
    "camera_io": _GATE,
    "hikvision_isapi": _GATE | {DeviceCommandKind.REBOOT},  # PUT /ISAPI/System/reboot
    # A push camera only listens in its replies, and a reply has no "close": an open is all it can be told.
    "vzenith": frozenset({DeviceCommandKind.OPEN_GATE}),
    "generic_push": frozenset({DeviceCommandKind.OPEN_GATE}),
}
#: Camera protocols whose poll reply carries whitelist operations (Vzenith ``white_list_operate``).
WHITELIST_PROTOCOLS = frozenset({"vzenith"})
#: Commands the camera's own poll delivers: no executor ever runs them.
DELIVERED_BY_POLL = frozenset({DeviceCommandKind.PUSH_WHITELIST})


def supported(config: Mapping[str, object], protocol: str = "") -> frozenset[DeviceCommandKind]:
    config_type = str(config.get("type", ""))
    kinds = set(SUPPORTED.get(config_type, frozenset()))
    if config_type == "modbus_relay" and config.get("power_coil") is not None:
        kinds.add(DeviceCommandKind.REBOOT)
    if protocol in WHITELIST_PROTOCOLS:
        kinds.add(DeviceCommandKind.PUSH_WHITELIST)
    return frozenset(kinds)


async def send_command(
    session: AsyncSession, actor: Actor, data: inputs.DeviceCommandSend, *, now: datetime
) -> DeviceCommand:
    device = await crud.get(session, Device, data.device_id, "deviceId")
    config_type = str(device.config.get("type", ""))
    if data.kind not in supported(device.config, device.protocol):
        named = config_type or device.protocol
        article = "an" if named[:1] in "aeiou" else "a"
        what = f"{article} {named} device" if named else "a device without a config"
        raise DomainError(ErrorCode.INVALID, f"{what} cannot {data.kind.value}", "kind")
    if device.status is DeviceStatus.RETRYING:
        raise DomainError(ErrorCode.CONFLICT, "the device has not been reached yet", "deviceId")
    command = DeviceCommand(
        agent_id=device.agent_id,
        customer_id=device.customer_id,
        lot_id=device.lot_id,
        device_id=device.id,
        kind=data.kind,
        reason=data.reason,
        operator_id=actor.operator_id,
        issued_at=now,
        expires_at=now + COMMAND_TTL,
    )
    if data.kind is DeviceCommandKind.PUSH_WHITELIST:
        # The list as it stands now is what the camera gets, whenever it polls.
        command.args = whitelist.to_args(await whitelist.lot_whitelist(session, device.lot_id, now))
        command.expires_at = now + WHITELIST_TTL
    command = await crud.create(session, actor, command)
    if data.kind not in DELIVERED_BY_POLL:
        dispatch_on_commit(session, command.id)
    else:
        wake_on_commit(session, device_id=device.id)
    return command


def dispatch_on_commit(session: AsyncSession, command_id: int) -> None:
    """Hand the command to the executor once committed; without one it waits for the poll loop's sweep."""
    if not emit(session, DeviceCommandQueued(command_id)):
        logger.info("no command dispatcher: command %s waits for the sweep", command_id)


async def dispatch_command(event: DeviceCommandQueued, services: Services) -> None:
    """The handler of ``DeviceCommandQueued``: the dispatcher the composition root installed runs it."""
    dispatch = services.get(DISPATCH_SERVICE)
    if dispatch is None:
        logger.info("no command dispatcher: command %s waits for the sweep", event.command_id)
        return
    await dispatch(event.command_id)
