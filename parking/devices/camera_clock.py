"""Camera clocks are not trusted blindly: each camera's offset against ours, and where its replayed records go.

A camera's clock can be reset (1970 after a power cut), run ahead or drift. A live reading is placed at the
moment it arrives, whatever the camera says, and its camera time is a sample of the camera's offset (so is a
heartbeat that carries the camera's time). A replayed (offline) record carries only the camera's time: ``place``
believes it when it is plausible, corrects it by the last offset seen when the camera's clock is known to be
off, and otherwise bounds it on the side that never lets a car out cheaper than it came: an exit at the moment
the record arrived, an entry at the start of the camera's last silence (its records were made after it was last
heard) or, failing that, at the camera's registration. A bounded record raises a ``camera_clock`` alarm.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from parking.alarms.models import AlarmKind
from parking.alarms.service import LotRef, raise_alarm
from parking.devices import texts as device_texts
from parking.devices.models import Device, DeviceClock
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane

logger = logging.getLogger(__name__)

# A record's time may be this far from what we can check it against (clock drift, encoding and network delay).
SKEW = timedelta(minutes=5)
# A new sample within this of the offset last written is the same offset: nothing is written.
SAME_OFFSET = timedelta(seconds=2)
# ... but the sample is written again this often, so ``sampled_at`` says the offset is current.
RESAMPLE_EVERY = timedelta(minutes=10)
# A camera not heard from for this long was cut off (it sends a keep-alive every few seconds).
SILENCE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class CameraClock:
    """What is known of one camera's clock when a replayed record of it arrives."""

    registered_at: datetime
    entering: bool  # the camera's lane is an entry (else an exit)
    offset: timedelta | None = None  # camera time minus server time, last sampled
    silent_from: datetime | None = None  # when the camera was last heard before its last silence


class How(StrEnum):
    CAMERA = "camera"  # the camera's time, believed
    CORRECTED = "corrected"  # the camera's time less its known offset
    BOUND = "bound"  # neither believable: the safe bound


@dataclass(frozen=True, slots=True)
class Placement:
    at: datetime
    how: How


def place(camera_at: datetime, received_at: datetime, clock: CameraClock, *, skew: timedelta = SKEW) -> Placement:
    """When a replayed record happened, in server time. Pure.

    A time is plausible between the camera's registration and the record's arrival (each give or take ``skew``),
    and is never placed after its arrival. When the camera's clock is known to be off, the corrected time is
    tried first: a record made before the clock went wrong may still carry a right time, and is then believed.
    """
    floor = clock.registered_at - skew
    ceiling = received_at + skew
    tries: list[tuple[How, datetime]] = []
    if clock.offset is not None and abs(clock.offset) > skew:
        tries.append((How.CORRECTED, camera_at - clock.offset))
    tries.append((How.CAMERA, camera_at))
    for how, at in tries:
        if floor <= at <= ceiling:
            return Placement(min(at, received_at), how)
    if not clock.entering:
        return Placement(received_at, How.BOUND)
    start = clock.registered_at
    if clock.silent_from is not None and start < clock.silent_from <= received_at:
        start = clock.silent_from
    return Placement(min(start, received_at), How.BOUND)


def offset_ms(offset: timedelta) -> int:
    return round(offset.total_seconds() * 1000)


_CLOCK = (
    select(Device.created_at, Lane.direction, DeviceClock.offset_ms, DeviceClock.silent_from)
    .select_from(Device)
    .join(Lane, Lane.id == Device.lane_id)
    .outerjoin(DeviceClock, DeviceClock.device_id == Device.id)
)


async def load(session: AsyncSession, device_id: int) -> CameraClock | None:
    """The clock facts of a camera at a lane (None: no such camera, or not at a lane)."""
    row = (await session.execute(_CLOCK.where(Device.id == device_id))).first()
    if row is None:
        return None
    registered_at, direction, offset, silent_from = row
    return CameraClock(
        registered_at=registered_at,
        entering=direction is LaneDirection.ENTRY,
        offset=timedelta(milliseconds=offset) if offset is not None else None,
        silent_from=silent_from,
    )


async def _upsert(session: AsyncSession, device_id: int, values: dict[str, Any]) -> None:
    conn = await session.connection()
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    stmt = insert(DeviceClock).values(device_id=device_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=["device_id"], set_=values))


async def record_offset(session: AsyncSession, device_id: int, offset: timedelta, now: datetime) -> None:
    """Keep the camera's offset; a clock off by more than ``SKEW`` also raises a ``camera_clock`` alarm, so someone
    sets the camera's time (the alarm counts repeats instead of piling up)."""
    await _upsert(session, device_id, {"offset_ms": offset_ms(offset), "sampled_at": now})
    if abs(offset) <= SKEW:
        return
    logger.warning("device %s: camera clock is off by %s", device_id, offset)
    device = await session.get(Device, device_id)
    if device is None:
        return
    seconds = round(offset.total_seconds())
    await raise_alarm(
        session,
        LotRef.of(device),
        AlarmKind.CAMERA_CLOCK,
        device_texts.text(device_texts.DeviceText.CAMERA_CLOCK_OFF, seconds=f"{seconds:+d}"),
        now=now,
        lane_id=device.lane_id,
        device_id=device.id,
        details={"how": "offset", "offset_s": seconds},
    )


async def record_silence(session: AsyncSession, device_id: int, since: datetime, now: datetime) -> None:
    """The camera was not heard from ``since`` until ``now``."""
    await _upsert(session, device_id, {"silent_from": since, "silent_until": now})


def silent_since(last_seen_at: datetime | None, now: datetime) -> datetime | None:
    """When a camera heard again at ``now`` fell silent, if it did."""
    if last_seen_at is None or now - last_seen_at < SILENCE:
        return None
    return last_seen_at


class OffsetSamples:
    """Per process: the offset last written per camera, so a camera's every push does not write its offset."""

    def __init__(self) -> None:
        self._written: dict[int, tuple[timedelta, datetime]] = {}

    def due(self, device_id: int, offset: timedelta, now: datetime) -> bool:
        last = self._written.get(device_id)
        if last is None:
            return True
        written_offset, written_at = last
        return abs(offset - written_offset) > SAME_OFFSET or now - written_at >= RESAMPLE_EVERY

    def written(self, device_id: int, offset: timedelta, now: datetime) -> None:
        self._written[device_id] = (offset, now)
