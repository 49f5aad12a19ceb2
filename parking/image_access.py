"""Whether an operator may see a stored image: only through a lane event, a recognition task or a fault ticket's
photo in their scope.

Image refs are content hashes and hard to guess, but a ref copied out of one tenant's records must still not open
the picture for another tenant; the scoped session filters both lookups by the caller's scope.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.permissions import Perm
from parking.common.actor import Actor
from parking.faults.models import FaultTicketPhoto
from parking.images import ref_day
from parking.recognition.models import PlateRecognition
from parking.sessions.models import LaneEvent

# The pages that show pictures: records, the cloud seat's tiles and the correction queue.
VIEWING_PERMISSIONS = (Perm.RECORDS_VIEW, Perm.ALARMS_VIEW, Perm.SESSIONS_CORRECT)
# A ref is dated by the camera's clock (lane images) or the worker's (crops); a day either side covers a
# camera set to the wrong zone and a backlog in the recognition queue, and keeps the lookup on the time index.
_SLACK = timedelta(days=1)


def may_view_lane_images(actor: Actor) -> bool:
    return any(actor.can(p) for p in VIEWING_PERMISSIONS)


def may_view_images(actor: Actor) -> bool:
    # Whoever handles fault tickets sees their photos (and, without a viewing permission, nothing else).
    return may_view_lane_images(actor) or actor.can(Perm.FAULTS_MANAGE)


async def image_visible(session: AsyncSession, actor: Actor, ref: str) -> bool:
    """True when ``ref`` is the image or crop of a lane event or recognition task in the session's scope (for an
    operator with a viewing permission), or a photo of a fault ticket there (for one who handles fault tickets)."""
    day = ref_day(ref)
    if actor.can(Perm.FAULTS_MANAGE):
        photo = await session.scalar(select(FaultTicketPhoto.id).where(FaultTicketPhoto.ref == ref).limit(1))
        if photo is not None:
            return True
    if not may_view_lane_images(actor):
        return False
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
