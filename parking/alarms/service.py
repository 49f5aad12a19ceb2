"""Raising, acknowledging and resolving alarms; each change is published to the lot's alarm topic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import Alarm, AlarmKind, AlarmSeverity, AlarmStatus
from parking.common.events import alarms_topic, publish_on_commit

# A lane that keeps failing raises one alarm with a growing count, not one per car.
REPEAT_WINDOW = timedelta(minutes=10)

SEVERITY: dict[AlarmKind, AlarmSeverity] = {
    AlarmKind.UNKNOWN_DEVICE: AlarmSeverity.WARNING,
    AlarmKind.LOW_CONFIDENCE: AlarmSeverity.INFO,
    AlarmKind.CONFLICTING_READING: AlarmSeverity.WARNING,
    AlarmKind.BLACKLIST: AlarmSeverity.CRITICAL,
    AlarmKind.EXIT_WITHOUT_ENTRY: AlarmSeverity.WARNING,
    AlarmKind.MANUAL_OPEN: AlarmSeverity.INFO,
    AlarmKind.GATE_FAILED: AlarmSeverity.CRITICAL,
    AlarmKind.LANE_OFFLINE: AlarmSeverity.CRITICAL,
    AlarmKind.DEVICE_OFFLINE: AlarmSeverity.WARNING,
    AlarmKind.LOT_FULL: AlarmSeverity.INFO,
    AlarmKind.ARREARS: AlarmSeverity.WARNING,
    AlarmKind.DOUBLE_PAYMENT: AlarmSeverity.WARNING,
    AlarmKind.UNREADABLE_PLATE: AlarmSeverity.WARNING,
    AlarmKind.CAMERA_CLOCK: AlarmSeverity.WARNING,
    AlarmKind.DEVICE_DATA: AlarmSeverity.INFO,
}


@dataclass(frozen=True, slots=True)
class LotRef:
    """The tenant columns every lot-owned row carries."""

    agent_id: int
    customer_id: int
    lot_id: int

    @classmethod
    def of(cls, row: Any) -> LotRef:
        return cls(
            agent_id=row.agent_id, customer_id=row.customer_id, lot_id=row.lot_id if hasattr(row, "lot_id") else row.id
        )


async def raise_alarm(
    session: AsyncSession,
    lot: LotRef,
    kind: AlarmKind,
    message: str,
    *,
    now: datetime,
    lane_id: int | None = None,
    device_id: int | None = None,
    session_id: int | None = None,
    plate: str = "",
    details: dict[str, Any] | None = None,
    severity: AlarmSeverity | None = None,
) -> Alarm:
    """An open alarm for this kind, lane, device and plate raised in the last minutes is counted, not repeated."""
    existing = await session.scalar(
        select(Alarm)
        .where(
            Alarm.lot_id == lot.lot_id,
            Alarm.kind == kind,
            Alarm.status == AlarmStatus.OPEN,
            Alarm.lane_id.is_(None) if lane_id is None else Alarm.lane_id == lane_id,
            Alarm.device_id.is_(None) if device_id is None else Alarm.device_id == device_id,
            Alarm.plate == plate,
            Alarm.raised_at >= now - REPEAT_WINDOW,
        )
        .order_by(Alarm.id.desc())
        .limit(1)
    )
    if existing is not None and session_id is None:
        existing.details = {**existing.details, **(details or {}), "count": int(existing.details.get("count", 1)) + 1}
        await session.flush()
        publish_on_commit(session, alarms_topic(lot.lot_id), {"id": existing.id, "change": "repeated"})
        return existing
    alarm = Alarm(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.lot_id,
        kind=kind,
        severity=severity or SEVERITY[kind],
        raised_at=now,
        lane_id=lane_id,
        device_id=device_id,
        session_id=session_id,
        plate=plate,
        message=message[:200],
        details={**(details or {}), "count": 1},
    )
    session.add(alarm)
    await session.flush()
    publish_on_commit(session, alarms_topic(lot.lot_id), {"id": alarm.id, "change": "raised"})
    return alarm


def acknowledge(session: AsyncSession, alarm: Alarm, operator_id: int, now: datetime) -> None:
    if alarm.status is AlarmStatus.OPEN:
        alarm.status = AlarmStatus.ACKNOWLEDGED
        alarm.acknowledged_by_id = operator_id
        alarm.acknowledged_at = now
        publish_on_commit(session, alarms_topic(alarm.lot_id), {"id": alarm.id, "change": "acknowledged"})


def resolve(session: AsyncSession, alarm: Alarm, operator_id: int, now: datetime, resolution: str) -> None:
    if alarm.status is not AlarmStatus.RESOLVED:
        if alarm.acknowledged_at is None:
            alarm.acknowledged_by_id = operator_id
            alarm.acknowledged_at = now
        alarm.status = AlarmStatus.RESOLVED
        alarm.resolved_by_id = operator_id
        alarm.resolved_at = now
        alarm.resolution = resolution[:200]
        publish_on_commit(session, alarms_topic(alarm.lot_id), {"id": alarm.id, "change": "resolved"})


async def resolve_open(
    session: AsyncSession,
    kind: AlarmKind,
    now: datetime,
    resolution: str,
    *,
    device_id: int | None = None,
    lane_id: int | None = None,
    plate: str | None = None,
) -> list[Alarm]:
    """Resolve, with no operator, the unresolved alarms of ``kind`` for a device or lane that has recovered."""
    where = [Alarm.kind == kind, Alarm.status != AlarmStatus.RESOLVED]
    if device_id is not None:
        where.append(Alarm.device_id == device_id)
    if lane_id is not None:
        where.append(Alarm.lane_id == lane_id)
    if plate is not None:
        where.append(Alarm.plate == plate)
    alarms = list(await session.scalars(select(Alarm).where(*where)))
    for alarm in alarms:
        alarm.status = AlarmStatus.RESOLVED
        alarm.resolved_at = now
        alarm.resolution = resolution[:200]
        publish_on_commit(session, alarms_topic(alarm.lot_id), {"id": alarm.id, "change": "resolved"})
    return alarms


async def has_unresolved(
    session: AsyncSession, kind: AlarmKind, *, device_id: int | None = None, lane_id: int | None = None
) -> bool:
    where = [Alarm.kind == kind, Alarm.status != AlarmStatus.RESOLVED]
    if device_id is not None:
        where.append(Alarm.device_id == device_id)
    if lane_id is not None:
        where.append(Alarm.lane_id == lane_id)
    return await session.scalar(select(Alarm.id).where(*where).limit(1)) is not None
