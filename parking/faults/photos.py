"""Photos of a fault ticket: what a photo may be (JPEG or PNG by its bytes, at most 5 MB, 9 to a ticket) and
attaching one, its bytes in the image store and one row per picture and ticket."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Final, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError
from parking.faults.models import FaultTicket, FaultTicketPhoto
from parking.faults.texts import FaultText, text
from parking.images import ImageStore, ImageStoreUnavailable, ref_for, suffix_of

MAX_PHOTO_BYTES: Final = 5 * 1024 * 1024
# WeChat's chooseImage picks at most 9 pictures at a time; a ticket holds as many.
MAX_PHOTOS_PER_TICKET: Final = 9


class PhotoRefusal(StrEnum):
    """Why a photo was not attached; the codes a client reads (uppercase, like the GraphQL error codes)."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    NOT_FOUND = "NOT_FOUND"
    PHOTO_MISSING = "PHOTO_MISSING"
    NOT_AN_IMAGE = "NOT_AN_IMAGE"
    TOO_LARGE = "PHOTO_TOO_LARGE"
    TOO_MANY = "TOO_MANY_PHOTOS"
    STORE_UNAVAILABLE = "IMAGE_STORE_UNAVAILABLE"  # retryable: nothing was attached


_TEXTS: Final = {
    PhotoRefusal.UNAUTHENTICATED: FaultText.LOGIN_NEEDED,
    PhotoRefusal.PERMISSION_DENIED: FaultText.PERMISSION_DENIED,
    PhotoRefusal.NOT_FOUND: FaultText.TICKET_NOT_FOUND,
    PhotoRefusal.PHOTO_MISSING: FaultText.PHOTO_MISSING,
    PhotoRefusal.NOT_AN_IMAGE: FaultText.PHOTO_NOT_AN_IMAGE,
    PhotoRefusal.TOO_LARGE: FaultText.PHOTO_TOO_LARGE,
    PhotoRefusal.TOO_MANY: FaultText.PHOTO_LIMIT,
    PhotoRefusal.STORE_UNAVAILABLE: FaultText.PHOTO_STORE_UNAVAILABLE,
}


def refusal_text(refusal: PhotoRefusal) -> str:
    """The zh-CN sentence for ``refusal``, with the limits filled in."""
    key = _TEXTS[refusal]
    if key is FaultText.PHOTO_TOO_LARGE:
        return text(key, max_mb=MAX_PHOTO_BYTES // (1024 * 1024))
    if key is FaultText.PHOTO_LIMIT:
        return text(key, max_count=MAX_PHOTOS_PER_TICKET)
    return text(key)


class PhotoRefused(Exception):
    def __init__(self, refusal: PhotoRefusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


def check_photo(data: bytes) -> PhotoRefusal | None:
    """Why ``data`` may not be a fault photo, or None: a JPEG or PNG by its first bytes (whatever the file is
    called or claims to be), not empty and at most ``MAX_PHOTO_BYTES``."""
    if not data:
        return PhotoRefusal.PHOTO_MISSING
    if len(data) > MAX_PHOTO_BYTES:
        return PhotoRefusal.TOO_LARGE
    if suffix_of(data) not in ("jpg", "png"):
        return PhotoRefusal.NOT_AN_IMAGE
    return None


async def attach_photo(
    session: AsyncSession, actor: Actor, images: ImageStore, ticket_id: str, data: bytes, *, now: datetime
) -> tuple[FaultTicketPhoto, bool]:
    """Attach ``data`` to the ticket in the session's scope; (the photo, whether it is new).

    The same picture sent again (a retried upload) is the photo already there. Every refusal is raised before
    anything is stored, and the transaction it leaves is rolled back.
    """
    refusal = check_photo(data)
    if refusal is not None:
        raise PhotoRefused(refusal)
    try:
        key = crud.parse_id(ticket_id)
    except DomainError as err:
        raise PhotoRefused(PhotoRefusal.NOT_FOUND) from err
    # The first statement writes the ticket: it takes the ticket's row lock on PostgreSQL and the write lock on
    # SQLite before anything is read, so two uploads at once count one after the other. The scoped session
    # leaves a ticket outside the caller's scope alone: it reads as missing.
    touched = await session.execute(update(FaultTicket).where(FaultTicket.id == key).values(updated_at=now))
    ticket = await session.get(FaultTicket, key) if cast(CursorResult[Any], touched).rowcount == 1 else None
    if ticket is None:
        raise PhotoRefused(PhotoRefusal.NOT_FOUND)
    ref = ref_for(data, now)
    same = FaultTicketPhoto.ticket_id == ticket.id
    existing = await session.scalar(select(FaultTicketPhoto).where(same, FaultTicketPhoto.ref == ref))
    if existing is not None:
        return existing, False
    count = await session.scalar(select(func.count()).select_from(FaultTicketPhoto).where(same))
    if (count or 0) >= MAX_PHOTOS_PER_TICKET:
        raise PhotoRefused(PhotoRefusal.TOO_MANY)
    try:
        stored = await images.put(data, now)
    except ImageStoreUnavailable as err:
        raise PhotoRefused(PhotoRefusal.STORE_UNAVAILABLE) from err
    photo = FaultTicketPhoto(
        agent_id=ticket.agent_id,
        customer_id=ticket.customer_id,
        lot_id=ticket.lot_id,
        ticket_id=ticket.id,
        ref=stored,
        uploaded_by_id=actor.operator_id,
        created_at=now,
    )
    return await crud.create(session, actor, photo), True
