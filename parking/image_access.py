"""Whether an operator may see a stored lane image: only through a lane event or recognition task in their scope.

Image refs are content hashes and hard to guess, but a ref copied out of one tenant's records must still not open
the picture for another tenant; the scoped session filters both lookups by the caller's scope.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.images import check_ref
from parking.recognition.models import PlateRecognition
from parking.sessions.models import LaneEvent

# The pages that show pictures: records, the cloud seat's tiles and the correction queue.
VIEWING_PERMISSIONS = (Perm.RECORDS_VIEW, Perm.ALARMS_VIEW, Perm.SESSIONS_CORRECT)
# A ref is dated by the camera's clock (lane images) or the worker's (crops); a day either side covers a
# camera set to the wrong zone and a backlog in the recognition queue, and keeps the lookup on the time index.
_SLACK = timedelta(days=1)


def ref_day(ref: str) -> datetime:
    """The UTC day a ref names (``2026/11/21/<sha>.jpg``); ImageNotFound for anything that is not a ref."""
    year, month, day, _ = check_ref(ref).split("/")
    return datetime(int(year), int(month), int(day), tzinfo=UTC)


def may_view_images(actor: Actor) -> bool:
    return any(actor.can(p) for p in VIEWING_PERMISSIONS)


async def image_visible(session: AsyncSession, ref: str) -> bool:
    """True when a lane event or a recognition task in the session's scope names ``ref`` as image or crop."""
    day = ref_day(ref)
    since, until = day - _SLACK, day + timedelta(days=1) + _SLACK
    event = await session.scalar(
        select(LaneEvent.id).where(LaneEvent.image_ref == ref, LaneEvent.at >= since, LaneEvent.at < until).limit(1)
    )
    if event is not None:
        return True
    task = await session.scalar(
        select(PlateRecognition.id)
        .where(
            or_(PlateRecognition.crop_ref == ref, PlateRecognition.image_ref == ref),
            PlateRecognition.created_at >= since,
            PlateRecognition.created_at < until,
        )
        .limit(1)
    )
    return task is not None
