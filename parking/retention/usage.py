"""Storage usage per lot: how many records it holds and how many bytes its pictures take in the store."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.errors import DomainError, ErrorCode
from parking.images import ImageStore, ImageStoreUnavailable
from parking.recognition.models import PlateRecognition
from parking.retention.purge import IMAGE_COLUMNS
from parking.retention.texts import RetentionText, text
from parking.sessions.models import LaneEvent, ParkingSession


@dataclass(frozen=True)
class StorageUsage:
    lot_id: int
    sessions: int
    lane_events: int
    recognitions: int
    images: int  # distinct pictures named by the lot's rows
    image_bytes: int  # their size in the store (pictures missing from it count 0)


async def _counts(session: AsyncSession, model: type[object], lot_ids: list[int]) -> dict[int, int]:
    lot = model.lot_id  # type: ignore[attr-defined]
    rows = await session.execute(select(lot, func.count()).where(lot.in_(lot_ids)).group_by(lot))
    return {int(lot_id): int(count) for lot_id, count in rows.all()}


async def storage_usage(session: AsyncSession, store: ImageStore, lot_ids: list[int]) -> list[StorageUsage]:
    """Usage of each of ``lot_ids`` the session's scope lets it see, in ``lot_ids``' order: a count query per
    table and a query per picture column, whatever the number of lots."""
    sessions = await _counts(session, ParkingSession, lot_ids)
    events = await _counts(session, LaneEvent, lot_ids)
    recognitions = await _counts(session, PlateRecognition, lot_ids)
    refs: dict[int, set[str]] = {lot_id: set() for lot_id in lot_ids}
    for column in IMAGE_COLUMNS:
        rows = await session.execute(
            select(column.model.lot_id, column.ref).where(column.model.lot_id.in_(lot_ids), column.ref != "").distinct()
        )
        for lot_id, ref in rows.all():
            refs[int(lot_id)].add(ref)
    try:
        sizes = await store.sizes(sorted(set().union(*refs.values())))
    except ImageStoreUnavailable as err:  # a coded, retryable answer: the store logged why
        raise DomainError(ErrorCode.IMAGES_UNAVAILABLE, text(RetentionText.IMAGES_UNAVAILABLE)) from err
    return [
        StorageUsage(
            lot_id,
            sessions.get(lot_id, 0),
            events.get(lot_id, 0),
            recognitions.get(lot_id, 0),
            len(refs[lot_id]),
            sum(sizes.get(ref, 0) for ref in refs[lot_id]),
        )
        for lot_id in lot_ids
    ]
