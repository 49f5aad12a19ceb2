"""What a plate is at a lot at a moment: temporary, a pass holder, listed (exempt, VIP, blacklist ...).

Pure: built from plain facts about passes and list entries so the decisions and the edge agent share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from parking.tenancy.enums import VehicleCategory

# Categories that never pay (军警消防救护, VIP, official cars) and those that pay as temporary cars do.
FREE_CATEGORIES = frozenset({VehicleCategory.EXEMPT, VehicleCategory.VIP, VehicleCategory.OFFICIAL})
PASS_CATEGORIES = frozenset(
    {
        VehicleCategory.MONTHLY,
        VehicleCategory.QUARTERLY,
        VehicleCategory.YEARLY,
        VehicleCategory.TEAM,
        VehicleCategory.TIME_CONTROLLED,
        VehicleCategory.OFF_PEAK,
    }
)


@dataclass(frozen=True, slots=True)
class Window:
    """A daily time-of-day window in the lot's time zone; ``end <= start`` wraps past midnight."""

    start: time
    end: time

    def contains(self, local: datetime) -> bool:
        t = local.timetz().replace(tzinfo=None)
        if self.start < self.end:
            return self.start <= t < self.end
        return t >= self.start or t < self.end


@dataclass(frozen=True, slots=True)
class Cover:
    """A period in which the plate does not pay: a pass, or a free list entry; ``window`` narrows it daily."""

    category: VehicleCategory
    starts_at: datetime
    ends_at: datetime | None
    window: Window | None = None
    group_id: int | None = None
    pass_id: int | None = None

    def valid_at(self, at: datetime, tz: ZoneInfo) -> bool:
        if at < self.starts_at or (self.ends_at is not None and at >= self.ends_at):
            return False
        return self.window is None or self.window.contains(at.astimezone(tz))


@dataclass(frozen=True, slots=True)
class Listing:
    category: VehicleCategory
    starts_at: datetime
    ends_at: datetime | None
    window: Window | None = None
    reason: str = ""

    def valid_at(self, at: datetime, tz: ZoneInfo) -> bool:
        if at < self.starts_at or (self.ends_at is not None and at >= self.ends_at):
            return False
        return self.window is None or self.window.contains(at.astimezone(tz))


@dataclass(frozen=True, slots=True)
class Standing:
    """The plate's category now and the covers that bill its stay."""

    category: VehicleCategory
    covers: tuple[Cover, ...] = ()
    blacklisted: bool = False
    blacklist_reason: str = ""
    pass_ends_at: datetime | None = None
    group_id: int | None = None
    pass_id: int | None = None

    @property
    def pays(self) -> bool:
        return self.category not in FREE_CATEGORIES and self.category not in PASS_CATEGORIES


def standing_at(at: datetime, tz: ZoneInfo, covers: Sequence[Cover], listings: Iterable[Listing]) -> Standing:
    """Blacklist wins; then free lists; then a pass valid now (its window included); else temporary."""
    valid = [entry for entry in listings if entry.valid_at(at, tz)]
    blacklist = next((e for e in valid if e.category is VehicleCategory.BLACKLIST), None)
    free = next((e for e in valid if e.category in FREE_CATEGORIES), None)
    current = next((c for c in covers if c.valid_at(at, tz)), None)
    latest_end = max((c.ends_at for c in covers if c.ends_at is not None), default=None)
    if free is not None:
        category = free.category
    elif current is not None:
        category = current.category
    elif any(e.category is VehicleCategory.VISITOR for e in valid):
        category = VehicleCategory.VISITOR
    else:
        category = VehicleCategory.TEMPORARY
    return Standing(
        category=category,
        covers=tuple(covers),
        blacklisted=blacklist is not None,
        blacklist_reason=blacklist.reason if blacklist is not None else "",
        pass_ends_at=latest_end,
        group_id=current.group_id if current is not None else None,
        pass_id=current.pass_id if current is not None else None,
    )


def uncovered(
    start: datetime, end: datetime, covers: Sequence[Cover], tz: ZoneInfo, step: timedelta = timedelta(minutes=1)
) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end) that no cover covers, as intervals (a pass that expired mid-stay, a window).

    Cover edges without a window are exact; window edges are found to the minute, which is how windows are set.
    """
    if start >= end:
        return []
    if not covers:
        return [(start, end)]
    edges = {start, end}
    for cover in covers:
        for edge in (cover.starts_at, cover.ends_at):
            if edge is not None and start < edge < end:
                edges.add(edge)
    points = sorted(edges)
    intervals: list[tuple[datetime, datetime]] = []
    for left, right in pairwise(points):
        intervals.extend(_split_by_windows(left, right, covers, tz, step))
    return _merge(intervals)


def _covered(at: datetime, covers: Sequence[Cover], tz: ZoneInfo) -> bool:
    return any(c.valid_at(at, tz) for c in covers)


def _split_by_windows(
    left: datetime, right: datetime, covers: Sequence[Cover], tz: ZoneInfo, step: timedelta
) -> list[tuple[datetime, datetime]]:
    if not any(c.window is not None for c in covers):
        return [] if _covered(left, covers, tz) else [(left, right)]
    out: list[tuple[datetime, datetime]] = []
    cursor = left
    run_start: datetime | None = None
    while cursor < right:
        if _covered(cursor, covers, tz):
            if run_start is not None:
                out.append((run_start, cursor))
                run_start = None
        elif run_start is None:
            run_start = cursor
        cursor = min(cursor + step, right)
    if run_start is not None:
        out.append((run_start, right))
    return out


def _merge(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for left, right in sorted(intervals):
        if merged and left <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged
