"""Use-case: change a lot's retention; a setting below the minimum is refused and nothing is written."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.retention.rules import Retention, changed, refusal
from parking.retention.texts import text
from parking.tenancy.models import Lot


def retention_of(lot: Lot) -> Retention:
    return Retention(lot.image_retention_days, lot.record_retention_days)


async def update_retention(
    session: AsyncSession, actor: Actor, lot_id: str, image_days: int | None, record_days: int | None
) -> Lot:
    """Set how many days ``lot_id`` keeps pictures and records; fields left out (None) keep their values."""
    # The row lock: two managers changing the two fields at once both land, each checked against the other.
    lot = await session.get(Lot, crud.parse_id(lot_id, "lotId"), with_for_update=True, populate_existing=True)
    if lot is None:  # another tenant's lot reads as absent (the session is scoped)
        raise NotFound("Lot", "lotId")
    before = retention_of(lot)
    after = changed(before, image_days, record_days)
    if (refused := refusal(after)) is not None:
        raise DomainError(ErrorCode.INVALID, text(refused.text, **refused.params), refused.field)
    lot.image_retention_days, lot.record_retention_days = after.image_days, after.record_days
    await session.flush()
    record(
        session,
        actor,
        "lot.retention_update",
        "lot",
        entity_id=lot.id,
        before={"image_retention_days": before.image_days, "record_retention_days": before.record_days},
        after={"image_retention_days": after.image_days, "record_retention_days": after.record_days},
        tenant=lot,
    )
    return lot
