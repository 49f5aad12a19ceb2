"""Hand-built rows for the retention tests: stays, lane events, recognitions and pictures at chosen ages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy import func, select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.images import ImageStore
from parking.payments.models import PaymentChannel, PaymentOrder, PaymentPurpose
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lot
from tests.factories import World

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
_serial = count(1)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@dataclass
class Lots:
    """The world's lots, their first lane, and an image store."""

    db: Database
    world: World
    store: ImageStore  # local or S3: the retention tests run on both
    owners: dict[int, dict[str, int]] = field(default_factory=dict)

    async def owner(self, lot: str) -> dict[str, int]:
        lot_id = self.world.ids[f"lot:{lot}"]
        if lot_id not in self.owners:
            async with self.db.transaction(Scope.internal()) as s:
                row = await s.get(Lot, lot_id)
                assert row is not None
                self.owners[lot_id] = {"agent_id": row.agent_id, "customer_id": row.customer_id, "lot_id": lot_id}
        return self.owners[lot_id]

    async def picture(self, at: datetime, tag: str | None = None) -> str:
        """A stored picture dated ``at``; a distinct one each call unless ``tag`` repeats."""
        body = b"\xff\xd8\xff" + (tag or f"picture-{next(_serial)}").encode()
        return await self.store.put(body, at)

    async def stay(
        self,
        lot: str,
        *,
        exited_days: float | None,
        entered_days: float | None = None,
        arrears_fen: int = 0,
        fee_due_fen: int = 0,
        paid_fen: int = 0,
        parent_id: int | None = None,
        paid_order: bool = False,
    ) -> int:
        """A stay; ``exited_days`` None: still in the lot."""
        owner = await self.owner(lot)
        entered = ago(entered_days if entered_days is not None else (exited_days or 0) + 1)
        async with self.db.transaction(Scope.internal()) as s:
            row = ParkingSession(
                **owner,
                plate=f"沪A{next(_serial):05d}",
                state=SessionState.IN_LOT if exited_days is None else SessionState.EXITED,
                entry_at=entered,
                exit_at=None if exited_days is None else ago(exited_days),
                arrears_fen=arrears_fen,
                fee_due_fen=fee_due_fen,
                paid_fen=paid_fen,
                parent_id=parent_id,
            )
            s.add(row)
            await s.flush()
            if paid_order:
                s.add(
                    PaymentOrder(
                        **owner,
                        out_trade_no=f"T{next(_serial):010d}",
                        channel=PaymentChannel.WECHAT_JSAPI,
                        purpose=PaymentPurpose.PARKING_EXIT,
                        session_id=row.id,
                        amount_fen=fee_due_fen,
                    )
                )
            return row.id

    async def event(
        self,
        lot: str,
        days: float,
        *,
        session_id: int | None = None,
        image_ref: str = "",
        crop_ref: str | None = None,
    ) -> int:
        """A lane event ``days`` old; with ``crop_ref`` also its plate recognition (picture and crop)."""
        owner = await self.owner(lot)
        at = ago(days)
        async with self.db.transaction(Scope.internal()) as s:
            row = LaneEvent(
                **owner,
                lane_id=self.world.ids[f"lane:{lot}"],
                session_id=session_id,
                kind=EventKind.ENTRY,
                at=at,
                received_at=at,
                plate="沪A12345",
                dedup_key=f"k{next(_serial)}",
                image_ref=image_ref,
            )
            s.add(row)
            await s.flush()
            if crop_ref is not None:
                s.add(
                    PlateRecognition(
                        **owner,
                        lane_event_id=row.id,
                        session_id=session_id,
                        status=RecognitionStatus.CONFIRMED,
                        image_ref=image_ref,
                        crop_ref=crop_ref,
                        created_at=at,
                        updated_at=at,
                    )
                )
            return row.id


async def ids_of(db: Database, model: Any) -> list[int]:
    async with db.transaction(Scope.internal()) as s:
        return list(await s.scalars(select(model.id).order_by(model.id)))


async def refs_of(db: Database, *columns: Any) -> dict[int, tuple[str, ...]]:
    """The refs of each row of the columns' table, by id."""
    model = columns[0].class_
    async with db.transaction(Scope.internal()) as s:
        rows = await s.execute(select(model.id, *columns).order_by(model.id))
        return {row[0]: tuple(row[1:]) for row in rows}


async def count_of(db: Database, model: Any) -> int:
    async with db.transaction(Scope.internal()) as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)
