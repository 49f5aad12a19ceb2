"""The whitelist a lot's cameras keep, so they can open by themselves while cut off: built from valid passes and
free-list entries, and handed to a camera in the reply to its next poll.

Only all-day rights go in: a camera's whitelist has no time-of-day windows, so a time-controlled pass or a
windowed list entry would open outside its hours. Visitors pay and blacklisted cars never open; neither is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hardware.base import WhitelistEntry
from parking.devices.models import DeviceCommand, DeviceCommandKind, DeviceCommandStatus
from parking.tenancy.models import Lot
from parking.vehicles.enums import PassStatus
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle
from parking.vehicles.standing import FREE_CATEGORIES

# A camera takes what fits in one reply; a lot with more all-day rights than this sends the first ones by plate.
MAX_ENTRIES = 2000


async def lot_whitelist(session: AsyncSession, lot_id: int, now: datetime) -> list[WhitelistEntry]:
    """Every plate with an all-day right now or later, its widest validity, times in the lot's zone."""
    lot = await session.get(Lot, lot_id)
    if lot is None:
        return []
    tz = ZoneInfo(lot.timezone)
    spans: dict[str, tuple[datetime | None, datetime | None]] = {}

    def add(plate: str, start: datetime | None, end: datetime | None) -> None:
        if plate in spans:
            old_start, old_end = spans[plate]
            start = None if start is None or old_start is None else min(start, old_start)
            end = None if end is None or old_end is None else max(end, old_end)
        spans[plate] = (start, end)

    passes = await session.execute(
        select(Vehicle.plate, Pass.starts_at, Pass.ends_at)
        .select_from(Pass)
        .join(PassProduct, PassProduct.id == Pass.product_id)
        .join(Vehicle, (Vehicle.id == Pass.vehicle_id) | (Vehicle.group_id == Pass.group_id))
        .where(
            Pass.lot_id == lot_id,
            Vehicle.lot_id == lot_id,
            Pass.status == PassStatus.ACTIVE,
            Pass.ends_at > now,
            PassProduct.window_start.is_(None),
        )
    )
    for plate, starts_at, ends_at in passes:
        add(plate, starts_at, ends_at)
    listed = await session.execute(
        select(ListEntry.plate, ListEntry.valid_from, ListEntry.valid_until).where(
            ListEntry.lot_id == lot_id,
            ListEntry.category.in_(FREE_CATEGORIES),
            ListEntry.window_start.is_(None),
            (ListEntry.valid_until.is_(None)) | (ListEntry.valid_until > now),
        )
    )
    for plate, valid_from, valid_until in listed:
        add(plate, valid_from, valid_until)
    return [
        WhitelistEntry(
            plate,
            valid_until=end.astimezone(tz) if end is not None else None,
            valid_from=start.astimezone(tz) if start is not None else None,
        )
        for plate, (start, end) in sorted(spans.items())[:MAX_ENTRIES]
    ]


def to_args(entries: list[WhitelistEntry]) -> dict[str, Any]:
    """The command's arguments: the list as it was when the command was sent (what the camera will be given)."""
    return {
        "entries": [
            {
                "plate": e.plate,
                "valid_from": e.valid_from.isoformat() if e.valid_from else None,
                "valid_until": e.valid_until.isoformat() if e.valid_until else None,
            }
            for e in entries
        ]
    }


def from_args(args: dict[str, Any]) -> tuple[WhitelistEntry, ...]:
    def when(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    return tuple(
        WhitelistEntry(row["plate"], valid_until=when(row["valid_until"]), valid_from=when(row["valid_from"]))
        for row in args.get("entries", [])
    )


async def take_for_camera(session: AsyncSession, device_id: int, now: datetime) -> tuple[WhitelistEntry, ...]:
    """The camera polls: its oldest pending whitelist push, marked delivered exactly once (two concurrent polls
    cannot both take it), or nothing. Overdue pushes expire here as they would in the sweep."""
    await session.execute(
        update(DeviceCommand)
        .where(
            DeviceCommand.device_id == device_id,
            DeviceCommand.kind == DeviceCommandKind.PUSH_WHITELIST,
            DeviceCommand.status == DeviceCommandStatus.PENDING,
            DeviceCommand.expires_at <= now,
        )
        .values(status=DeviceCommandStatus.EXPIRED, result="the camera did not poll in time", completed_at=now)
        .execution_options(synchronize_session=False)
    )
    command = await session.scalar(
        select(DeviceCommand)
        .where(
            DeviceCommand.device_id == device_id,
            DeviceCommand.kind == DeviceCommandKind.PUSH_WHITELIST,
            DeviceCommand.status == DeviceCommandStatus.PENDING,
        )
        .order_by(DeviceCommand.id)
        .limit(1)
    )
    if command is None:
        return ()
    entries = from_args(command.args)
    taken = await session.execute(
        update(DeviceCommand)
        .where(DeviceCommand.id == command.id, DeviceCommand.status == DeviceCommandStatus.PENDING)
        .values(
            status=DeviceCommandStatus.DONE,
            sent_at=now,
            completed_at=now,
            result=f"{len(entries)} plates delivered in the reply to the camera's poll",
        )
        .execution_options(synchronize_session=False)
    )
    return entries if getattr(taken, "rowcount", 0) == 1 else ()
