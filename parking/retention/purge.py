"""The purge: what a lot keeps no longer, removed a batch at a time (GA/T 1742-2020, issue #22).

Per lot, with the lot's own retention (parking.retention.rules):

- pictures older than the lot's image retention: the refs on lane events, plate recognitions (picture and crop),
  device messages and gate commands are cleared, and a file no row names any more is removed from the store;
- records older than the lot's record retention: lane events (with their plate recognitions) and closed stays.

Never purged: an open stay (``IN_LOT``) or one in dispute (``ABNORMAL``), a stay that still owes (arrears, or a
fee above what was paid and discounted), the records and pictures of such a stay, and money: payment orders,
refunds, coupons, invoices, settlement rows and the audit trail are kept, and so is every stay one of them
(or an alarm, or a gate command) points at.

Safe under traffic and idempotent: each batch is its own short transaction that walks ids upwards (keyset, at
most ``batch`` rows) and repeats its conditions in the write itself, so a row that changed in between is left
alone; a second run finds nothing. Files are removed after the batch commits (a failed removal leaves an orphan
file, never a row naming a missing one), and only once no row in any table names them: refs are content hashes,
so one picture may be named twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from parking.alarms.models import Alarm
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import DeviceMessage, GateCommand
from parking.faults.models import FaultTicketPhoto
from parking.images import ImageStore
from parking.merchants.models import Coupon
from parking.payments.models import PaymentOrder
from parking.recognition.models import PlateRecognition
from parking.retention.rules import Cutoffs, Retention, cutoffs
from parking.sessions.enums import SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lot

# Rows per transaction: short locks, bounded IN lists.
BATCH = 500

T = TypeVar("T")


@dataclass(frozen=True)
class ImageColumn:
    """A column naming a picture, the time its row is dated by, and the stay it belongs to (if any)."""

    model: Any
    ref: InstrumentedAttribute[str]
    at: InstrumentedAttribute[datetime]
    session_id: InstrumentedAttribute[int | None] | None


IMAGE_COLUMNS: tuple[ImageColumn, ...] = (
    ImageColumn(LaneEvent, LaneEvent.image_ref, LaneEvent.at, LaneEvent.session_id),
    ImageColumn(PlateRecognition, PlateRecognition.image_ref, PlateRecognition.created_at, PlateRecognition.session_id),
    ImageColumn(PlateRecognition, PlateRecognition.crop_ref, PlateRecognition.created_at, PlateRecognition.session_id),
    ImageColumn(DeviceMessage, DeviceMessage.image_ref, DeviceMessage.at, None),
    ImageColumn(GateCommand, GateCommand.image_ref, GateCommand.issued_at, GateCommand.session_id),
)
# Every column that may name a stored picture: a file goes only when none of them names it.
REFERENCING: tuple[InstrumentedAttribute[str], ...] = (
    *(column.ref for column in IMAGE_COLUMNS),
    FaultTicketPhoto.ref,
)


@dataclass
class LotPurge:
    """What a purge did (or, dry, would do) in one lot."""

    lot_id: int
    lot_name: str
    images: int = 0  # picture refs cleared
    files: int = 0  # files removed from the store (0 on a dry run)
    lane_events: int = 0
    recognitions: int = 0
    sessions: int = 0

    def line(self) -> str:
        return (
            f"lot {self.lot_id} {self.lot_name}: images={self.images} files={self.files} "
            f"lane_events={self.lane_events} recognitions={self.recognitions} sessions={self.sessions}"
        )


def owing_or_open() -> ColumnElement[bool]:
    """A stay whose records stay: not closed, or closed still owing."""
    return or_(
        ParkingSession.state != SessionState.EXITED,
        ParkingSession.arrears_fen > 0,
        ParkingSession.fee_due_fen > ParkingSession.paid_fen + ParkingSession.discount_fen,
    )


def _of_kept_stay(session_id: InstrumentedAttribute[int | None] | None) -> list[ColumnElement[bool]]:
    if session_id is None:
        return []
    return [~exists().where(ParkingSession.id == session_id, owing_or_open())]


def _image_where(column: ImageColumn, lot_id: int, before: datetime) -> list[ColumnElement[bool]]:
    return [column.model.lot_id == lot_id, column.at < before, column.ref != "", *_of_kept_stay(column.session_id)]


def _event_where(lot_id: int, before: datetime) -> list[ColumnElement[bool]]:
    return [LaneEvent.lot_id == lot_id, LaneEvent.at < before, *_of_kept_stay(LaneEvent.session_id)]


def _stay_where(lot_id: int, before: datetime, *, inner: bool) -> list[ColumnElement[bool]]:
    stay = ParkingSession
    where: list[ColumnElement[bool]] = [
        stay.lot_id == lot_id,
        stay.exit_at < before,
        ~owing_or_open(),
        # Money and what points at it stays: the stay behind a payment, a coupon, an alarm or a gate command.
        ~exists().where(PaymentOrder.session_id == stay.id),
        ~exists().where(Coupon.session_id == stay.id),
        ~exists().where(Alarm.session_id == stay.id),
        ~exists().where(GateCommand.session_id == stay.id),
    ]
    if inner:
        return [*where, stay.parent_id.is_not(None)]
    # An outer stay goes after its inner stays (they run first), and never while one of them is kept.
    child = aliased(ParkingSession)
    return [*where, stay.parent_id.is_(None), ~exists().where(child.parent_id == stay.id)]


async def _ids(
    session: AsyncSession, model: Any, where: list[ColumnElement[bool]], after_id: int, limit: int
) -> list[int]:
    query = select(model.id).where(*where, model.id > after_id).order_by(model.id).limit(limit)
    return list(await session.scalars(query))


async def _clear_images(
    session: AsyncSession, after_id: int, *, column: ImageColumn, lot_id: int, before: datetime, limit: int
) -> tuple[tuple[int, set[str]], int]:
    """Clear up to ``limit`` refs; ((how many, the refs), the last id looked at or 0 when none)."""
    where = _image_where(column, lot_id, before)
    model = column.model
    rows = (
        await session.execute(
            select(model.id, column.ref).where(*where, model.id > after_id).order_by(model.id).limit(limit)
        )
    ).all()
    if not rows:
        return (0, set()), 0
    cleared = await session.execute(
        update(model)
        .where(model.id.in_([row[0] for row in rows]), *where)
        .values({column.ref.key: ""})
        .execution_options(synchronize_session=False)
    )
    return (int(cleared.rowcount), {row[1] for row in rows}), rows[-1][0]  # type: ignore[attr-defined]


async def _delete_events(
    session: AsyncSession, after_id: int, *, lot_id: int, before: datetime, limit: int
) -> tuple[tuple[int, int, set[str]], int]:
    """Delete up to ``limit`` lane events and their recognitions; ((events, recognitions, refs), last id)."""
    where = _event_where(lot_id, before)
    rows = (
        await session.execute(
            select(LaneEvent.id, LaneEvent.image_ref)
            .where(*where, LaneEvent.id > after_id)
            .order_by(LaneEvent.id)
            .limit(limit)
        )
    ).all()
    if not rows:
        return (0, 0, set()), 0
    ids = [row[0] for row in rows]
    refs = {row[1] for row in rows}
    # The conditions again, for the recognitions too: an event whose stay started owing meanwhile keeps both.
    going = select(LaneEvent.id).where(LaneEvent.id.in_(ids), *where).scalar_subquery()
    for image, crop in (
        await session.execute(
            select(PlateRecognition.image_ref, PlateRecognition.crop_ref).where(
                PlateRecognition.lane_event_id.in_(going)
            )
        )
    ).all():
        refs |= {image, crop}
    # Explicitly, not by the foreign key's cascade: the count is reported, and sqlite may run without it.
    recognitions = await session.execute(
        delete(PlateRecognition)
        .where(PlateRecognition.lane_event_id.in_(going))
        .execution_options(synchronize_session=False)
    )
    events = await session.execute(
        delete(LaneEvent).where(LaneEvent.id.in_(ids), *where).execution_options(synchronize_session=False)
    )
    refs.discard("")
    return (int(events.rowcount), int(recognitions.rowcount), refs), ids[-1]  # type: ignore[attr-defined]


async def _delete_stays(
    session: AsyncSession, after_id: int, *, lot_id: int, before: datetime, limit: int, inner: bool
) -> tuple[int, int]:
    where = _stay_where(lot_id, before, inner=inner)
    ids = await _ids(session, ParkingSession, where, after_id, limit)
    if not ids:
        return 0, 0
    deleted = await session.execute(
        delete(ParkingSession).where(ParkingSession.id.in_(ids), *where).execution_options(synchronize_session=False)
    )
    return int(deleted.rowcount), ids[-1]  # type: ignore[attr-defined]


async def remove_unnamed(db: Database, store: ImageStore, refs: set[str]) -> int:
    """Remove from the store the ``refs`` no row names any more; how many files were removed."""
    refs.discard("")
    if not refs:
        return 0
    named: set[str] = set()
    async with db.transaction(Scope.internal()) as session:
        for column in REFERENCING:  # one query per column, whatever the number of refs
            named.update(await session.scalars(select(column).where(column.in_(refs)).distinct()))
    return await store.delete_many(sorted(refs - named))


async def _batches(db: Database, step: Callable[[AsyncSession, int], Awaitable[tuple[T, int]]]) -> AsyncIterator[T]:
    """Run ``step(session, after_id)`` a transaction at a time, walking ids upwards, until it finds nothing (0)."""
    after_id = 0
    while True:
        async with db.transaction(Scope.internal()) as tx:
            done, after_id = await step(tx, after_id)
        if after_id == 0:
            return
        yield done


async def _purge_lot(db: Database, store: ImageStore, purge: LotPurge, cut: Cutoffs, batch: int) -> None:
    lot_id = purge.lot_id
    for column in IMAGE_COLUMNS:
        clear = partial(_clear_images, column=column, lot_id=lot_id, before=cut.images_before, limit=batch)
        async for cleared, refs in _batches(db, clear):
            purge.images += cleared
            purge.files += await remove_unnamed(db, store, refs)
    delete_events = partial(_delete_events, lot_id=lot_id, before=cut.records_before, limit=batch)
    async for events, recognitions, refs in _batches(db, delete_events):
        purge.lane_events += events
        purge.recognitions += recognitions
        purge.files += await remove_unnamed(db, store, refs)
    for inner in (True, False):
        delete_stays = partial(_delete_stays, lot_id=lot_id, before=cut.records_before, limit=batch, inner=inner)
        async for stays in _batches(db, delete_stays):
            purge.sessions += stays


async def _count(session: AsyncSession, model: Any, where: list[ColumnElement[bool]]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _dry_lot(db: Database, purge: LotPurge, cut: Cutoffs) -> None:
    """What a purge would take now; outer stays are counted as if their inner stays went first."""
    async with db.transaction(Scope.internal()) as tx:
        for column in IMAGE_COLUMNS:
            purge.images += await _count(tx, column.model, _image_where(column, purge.lot_id, cut.images_before))
        events = _event_where(purge.lot_id, cut.records_before)
        purge.lane_events = await _count(tx, LaneEvent, events)
        purge.recognitions = await _count(
            tx, PlateRecognition, [PlateRecognition.lane_event_id.in_(select(LaneEvent.id).where(*events))]
        )
        inner = _stay_where(purge.lot_id, cut.records_before, inner=True)
        outer = _stay_where(purge.lot_id, cut.records_before, inner=False)[:-1]  # the inner-stays check aside
        purge.sessions = await _count(tx, ParkingSession, [or_(and_(*inner), and_(*outer))])


async def purge(
    db: Database,
    store: ImageStore,
    now: datetime,
    *,
    batch: int = BATCH,
    dry_run: bool = False,
    lot_ids: list[int] | None = None,
) -> list[LotPurge]:
    """Purge every lot (or ``lot_ids``) by its own retention at ``now``; what was (or would be) removed, per lot."""
    async with db.transaction(Scope.internal()) as tx:
        query = select(Lot.id, Lot.name, Lot.image_retention_days, Lot.record_retention_days).order_by(Lot.id)
        if lot_ids is not None:
            query = query.where(Lot.id.in_(lot_ids))
        lots = (await tx.execute(query)).all()
    done: list[LotPurge] = []
    for lot_id, name, image_days, record_days in lots:
        result = LotPurge(lot_id, name)
        cut = cutoffs(Retention(image_days, record_days), now)
        if dry_run:
            await _dry_lot(db, result, cut)
        else:
            await _purge_lot(db, store, result, cut, batch)
        done.append(result)
    return done
