"""The cloud seat's handling of alarms: acknowledge and resolve, refused when it makes no sense, audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms import service
from parking.alarms.models import Alarm, AlarmStatus
from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.crud import parse_id
from parking.common.errors import DomainError, ErrorCode, NotFound

RESOLUTION_MAX = 200


def _operator(actor: Actor) -> int:
    # The alarm records who handled it; a partner API key is nobody at a seat.
    if actor.operator_id is None:
        raise DomainError(ErrorCode.PERMISSION_DENIED, "alarms are handled by operators, not API keys")
    return actor.operator_id


async def _locked(session: AsyncSession, raw_id: str | int) -> Alarm:
    """The alarm, locked until commit: two seats handling it at once take turns instead of both winning."""
    alarm = await session.scalar(select(Alarm).where(Alarm.id == parse_id(raw_id)).with_for_update())
    if alarm is None:
        raise NotFound("Alarm", "id")
    return alarm


async def acknowledge_alarm(session: AsyncSession, actor: Actor, alarm_id: str | int, *, now: datetime) -> Alarm:
    """Mark an open alarm as being looked at; acknowledging it again changes nothing."""
    operator_id = _operator(actor)
    alarm = await _locked(session, alarm_id)
    if alarm.status is AlarmStatus.RESOLVED:
        raise DomainError(ErrorCode.CONFLICT, "the alarm is already resolved", "id")
    if alarm.status is AlarmStatus.ACKNOWLEDGED:
        return alarm
    before = snapshot(alarm)
    service.acknowledge(session, alarm, operator_id, now)
    await session.flush()
    record(
        session,
        actor,
        "alarm.acknowledge",
        "alarm",
        entity_id=alarm.id,
        before=before,
        after=snapshot(alarm),
        tenant=alarm,
    )
    return alarm


async def resolve_alarm(
    session: AsyncSession, actor: Actor, alarm_id: str | int, resolution: str, *, now: datetime
) -> Alarm:
    """Close an alarm with what was done about it; an alarm is resolved once."""
    operator_id = _operator(actor)
    text = resolution.strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, "say how the alarm was resolved", "resolution")
    if len(text) > RESOLUTION_MAX:
        raise DomainError(ErrorCode.INVALID, f"resolution is longer than {RESOLUTION_MAX} characters", "resolution")
    alarm = await _locked(session, alarm_id)
    if alarm.status is AlarmStatus.RESOLVED:
        raise DomainError(ErrorCode.CONFLICT, "the alarm is already resolved", "id")
    before = snapshot(alarm)
    service.resolve(session, alarm, operator_id, now, text)
    await session.flush()
    record(
        session, actor, "alarm.resolve", "alarm", entity_id=alarm.id, before=before, after=snapshot(alarm), tenant=alarm
    )
    return alarm
