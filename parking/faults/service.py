"""Fault ticket use-cases: open a ticket for a device and move it through its states."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.models import Operator
from parking.alarms.models import Alarm
from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.devices.models import Device
from parking.faults import inputs
from parking.faults.models import FaultStatus, FaultTicket
from parking.tenancy.models import Lot

_DONE = (FaultStatus.RESOLVED, FaultStatus.CLOSED)


async def create_ticket(session: AsyncSession, actor: Actor, data: inputs.FaultTicketCreate) -> FaultTicket:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    device_id = alarm_id = None
    if data.device_id is not None:
        device = await crud.get(session, Device, data.device_id, "deviceId")
        if device.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "device belongs to another lot", "deviceId")
        device_id = device.id
    if data.alarm_id is not None:
        alarm = await crud.get(session, Alarm, data.alarm_id, "alarmId")
        if alarm.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "alarm belongs to another lot", "alarmId")
        alarm_id = alarm.id
    ticket = FaultTicket(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        device_id=device_id,
        alarm_id=alarm_id,
        title=data.title,
        description=data.description,
        reported_by_id=actor.operator_id,
    )
    return await crud.create(session, actor, ticket)


async def update_ticket(
    session: AsyncSession, actor: Actor, ticket_id: str, data: inputs.FaultTicketUpdate, *, now: datetime
) -> FaultTicket:
    ticket = await crud.get(session, FaultTicket, ticket_id)
    changes = crud.changes_of(data)
    if "assignee_id" in changes:
        changes["assignee_id"] = (await crud.get(session, Operator, changes["assignee_id"], "assigneeId")).id
    status = changes.get("status")
    if status in _DONE and ticket.resolved_at is None:
        changes["resolved_at"] = now
    elif status is not None and status not in _DONE:
        changes["resolved_at"] = None
    return await crud.update(session, actor, ticket, changes)


async def open_ticket_for_alarm(session: AsyncSession, actor: Actor, alarm_id: str, title: str | None) -> FaultTicket:
    """A field technician's ticket for an alarm; its lot and device come from the alarm, one ticket per alarm."""
    alarm = await crud.get(session, Alarm, alarm_id, "alarmId")
    already = await session.scalar(
        select(FaultTicket.id).where(FaultTicket.alarm_id == alarm.id, FaultTicket.status.not_in(_DONE)).limit(1)
    )
    if already is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"fault ticket {already} is already open for this alarm", "alarmId")
    data = inputs.FaultTicketCreate(
        lot_id=str(alarm.lot_id),
        device_id=str(alarm.device_id) if alarm.device_id is not None else None,
        alarm_id=str(alarm.id),
        title=title if title is not None else alarm.message[:100],
        description=f"{alarm.kind.value}: {alarm.message}",
    )
    return await create_ticket(session, actor, data)
