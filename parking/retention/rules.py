"""The retention rules: defaults, minimums, and what "older than the lot keeps" means at a moment. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from parking.retention.texts import RetentionText

# GA/T 1742-2020 asks a lot to keep its pictures at least 30 days and its records at least a year.
IMAGE_DAYS_MIN = 30
RECORD_DAYS_MIN = 365
IMAGE_DAYS_DEFAULT = IMAGE_DAYS_MIN
RECORD_DAYS_DEFAULT = RECORD_DAYS_MIN
# An upper bound keeps a typo (36500) from meaning "forever" silently; ten years is more than any rule asks.
DAYS_MAX = 3650


@dataclass(frozen=True)
class Retention:
    image_days: int = IMAGE_DAYS_DEFAULT
    record_days: int = RECORD_DAYS_DEFAULT


@dataclass(frozen=True)
class Refusal:
    """Why a retention setting is refused: the catalogue key, its parameters and the input field."""

    text: RetentionText
    field: str
    params: dict[str, int]


@dataclass(frozen=True)
class Cutoffs:
    """Rows stamped strictly before these moments are past what the lot keeps."""

    images_before: datetime
    records_before: datetime


def changed(current: Retention, image_days: int | None, record_days: int | None) -> Retention:
    """The setting after a change; a field left out (None) keeps its value."""
    return Retention(
        current.image_days if image_days is None else image_days,
        current.record_days if record_days is None else record_days,
    )


def refusal(setting: Retention) -> Refusal | None:
    """The first rule ``setting`` breaks, or None when it may be stored."""
    if setting.image_days < IMAGE_DAYS_MIN:
        return Refusal(RetentionText.IMAGE_DAYS_TOO_SHORT, "imageDays", {"min": IMAGE_DAYS_MIN})
    if setting.record_days < RECORD_DAYS_MIN:
        return Refusal(RetentionText.RECORD_DAYS_TOO_SHORT, "recordDays", {"min": RECORD_DAYS_MIN})
    if setting.image_days > DAYS_MAX:
        return Refusal(RetentionText.DAYS_TOO_LONG, "imageDays", {"max": DAYS_MAX})
    if setting.record_days > DAYS_MAX:
        return Refusal(RetentionText.DAYS_TOO_LONG, "recordDays", {"max": DAYS_MAX})
    # A picture outliving its record would be an orphan nobody can find or purge by its record.
    if setting.image_days > setting.record_days:
        return Refusal(RetentionText.IMAGES_OUTLIVE_RECORDS, "imageDays", {"max": setting.record_days})
    return None


def cutoffs(setting: Retention, now: datetime) -> Cutoffs:
    """What ``setting`` lets go of at ``now``: a row exactly ``days`` old is still kept."""
    return Cutoffs(now - timedelta(days=setting.image_days), now - timedelta(days=setting.record_days))
