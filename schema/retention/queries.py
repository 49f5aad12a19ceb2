"""Retention queries: each lot's storage usage (records and picture bytes)."""

from __future__ import annotations

from typing import cast

import strawberry
from sqlalchemy import select

from parking.accounts.permissions import Perm
from parking.images import ImageStore
from parking.retention.usage import storage_usage
from parking.tenancy.models import Lot
from schema.core.context import Info
from schema.core.listing import ids
from schema.core.permissions import describe, requires

MAX_LOTS = 100


@strawberry.type(name="LotStorageUsage", description="What a lot holds: its records and its pictures' bytes.")
class LotStorageUsageType:
    lot_id: strawberry.ID
    sessions: int
    lane_events: int
    recognitions: int
    images: int
    image_bytes: float = strawberry.field(description="Bytes of the lot's pictures in the store (may pass 2^31).")


@strawberry.type
class RetentionQuery:
    @strawberry.field(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe(
            f"Storage usage of the given lots (at most {MAX_LOTS}) that the caller sees; others are left out.",
            Perm.LOTS_MANAGE,
        ),
    )
    async def lot_storage_usage(self, info: Info, lot_ids: list[strawberry.ID]) -> list[LotStorageUsageType]:
        wanted = (ids(cast(list[object], lot_ids)) or [])[:MAX_LOTS]
        async with info.context.reading() as session:
            # The scoped session reads another tenant's lot as absent.
            visible = list(await session.scalars(select(Lot.id).where(Lot.id.in_(wanted)).order_by(Lot.id)))
            store = cast(ImageStore, info.context.request.app.state.images)
            usage = await storage_usage(session, store, visible)
        return [
            LotStorageUsageType(
                lot_id=strawberry.ID(str(u.lot_id)),
                sessions=u.sessions,
                lane_events=u.lane_events,
                recognitions=u.recognitions,
                images=u.images,
                image_bytes=float(u.image_bytes),
            )
            for u in usage
        ]
