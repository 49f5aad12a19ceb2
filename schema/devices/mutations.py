"""Device mutations: create, change, remove, register (probe first), send a command, rotate the push secret;
open a ticket from an alarm."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.devices import commands, inputs, registration
from parking.devices.errors import DeviceErrorCode
from parking.devices.models import DeviceCommand, DeviceCommandKind
from parking.faults import service as faults
from parking.faults.models import FaultTicket
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.core.results import DeleteSuccess, deleted
from schema.devices.inputs import DeviceCreateInput, DeviceRegisterInput, DeviceUpdateInput
from schema.devices.types import DeviceCommandType, DeviceType
from schema.faults.mutations import FaultError, FaultTicketResult, ticket_success

error_codes(DeviceErrorCode, "a device")


@strawberry.type
class DeviceError(Error):
    code: DeviceErrorCode
    message: str
    field: str | None = None


@strawberry.type
class DeviceSuccess:
    device: DeviceType


@strawberry.type
class DeviceSecretSuccess:
    device: DeviceType
    secret: str = strawberry.field(description="The device's push secret: shown this once, only its hash is kept.")


@strawberry.type
class DeviceCommandSuccess:
    command: DeviceCommandType


DeviceResult = Annotated[DeviceSuccess | DeviceError, strawberry.union("DeviceResult")]
DeviceDeleteResult = Annotated[DeleteSuccess | DeviceError, strawberry.union("DeviceDeleteResult")]
DeviceSecretResult = Annotated[DeviceSecretSuccess | DeviceError, strawberry.union("DeviceSecretResult")]
DeviceCommandResult = Annotated[DeviceCommandSuccess | DeviceError, strawberry.union("DeviceCommandResult")]


def _secret(row: registration.Registered) -> DeviceSecretSuccess:
    return DeviceSecretSuccess(device=cast(DeviceType, row.device), secret=row.secret)


@strawberry.type
class DevicesMutation:
    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe("Register a device.", Perm.DEVICES_MANAGE),
    )
    async def device_create(self, info: Info, input: DeviceCreateInput) -> DeviceResult:
        return await run(
            info,
            lambda s, a: registration.create_device(s, a, input.to_pydantic()),
            DeviceError,
            lambda row: DeviceSuccess(device=cast(DeviceType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe("Change a device.", Perm.DEVICES_MANAGE),
    )
    async def device_update(self, info: Info, id: strawberry.ID, input: DeviceUpdateInput) -> DeviceResult:
        return await run(
            info,
            lambda s, a: registration.update_device(s, a, id, input.to_pydantic()),
            DeviceError,
            lambda row: DeviceSuccess(device=cast(DeviceType, row)),
        )

    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe("Remove a device.", Perm.DEVICES_MANAGE),
    )
    async def device_delete(self, info: Info, id: strawberry.ID) -> DeviceDeleteResult:
        return await run(info, lambda s, a: registration.delete_device(s, a, id), DeviceError, deleted)

    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe(
            "Register a device: its config is validated, the device probed for its serial or MAC; an unreachable "
            "device is kept as RETRYING and probed again by the poller.",
            Perm.DEVICES_MANAGE,
        ),
    )
    async def device_register(self, info: Info, input: DeviceRegisterInput) -> DeviceSecretResult:
        async def use_case(s: AsyncSession, a: Actor) -> registration.Registered:
            return await registration.register_device(s, a, input.to_pydantic(), now=datetime.now(UTC))

        return await run(info, use_case, DeviceError, _secret)

    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe("A new push secret for a device; the old one stops working.", Perm.DEVICES_MANAGE),
    )
    async def device_rotate_secret(self, info: Info, id: strawberry.ID) -> DeviceSecretResult:
        return await run(info, lambda s, a: registration.rotate_secret(s, a, id), DeviceError, _secret)

    @strawberry.mutation(
        extensions=requires(Perm.DEVICES_MANAGE),
        description=describe(
            "Send a command to a device; it runs after commit and its result is recorded on the command.",
            Perm.DEVICES_MANAGE,
        ),
    )
    async def device_command_send(
        self, info: Info, device_id: strawberry.ID, kind: DeviceCommandKind, reason: str = ""
    ) -> DeviceCommandResult:
        async def use_case(s: AsyncSession, a: Actor) -> DeviceCommand:
            data = inputs.DeviceCommandSend(device_id=str(device_id), kind=kind, reason=reason)
            return await commands.send_command(s, a, data, now=datetime.now(UTC))

        return await run(
            info, use_case, DeviceError, lambda row: DeviceCommandSuccess(command=cast(DeviceCommandType, row))
        )

    @strawberry.mutation(
        extensions=requires(Perm.FAULTS_MANAGE),
        description=describe(
            "Open a fault ticket for an alarm (its lot and device are taken from the alarm).", Perm.FAULTS_MANAGE
        ),
    )
    async def alarm_open_fault_ticket(
        self, info: Info, alarm_id: strawberry.ID, title: str | None = None
    ) -> FaultTicketResult:
        async def use_case(s: AsyncSession, a: Actor) -> FaultTicket:
            return await faults.open_ticket_for_alarm(s, a, alarm_id, title)

        return await run(info, use_case, FaultError, ticket_success)
