"""Reading a scanned payload back to its code row, or a refusal that says why (and changes nothing).

Forged, altered, rotated or revoked: ``INVALID``; past its expiry (the payload's or the row's) or before its
start: ``EXPIRED``; used as often as it may be: ``USED``. A forged payload is refused before the database is
asked anything.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.codes import payloads
from parking.codes.texts import CodeText, text
from parking.common.errors import DomainError, ErrorCode
from parking.merchants.models import ParkingCode

FIELD = "payload"


def refuse(code: ErrorCode, key: CodeText, field: str = FIELD) -> DomainError:
    return DomainError(code, text(key), field)


def check_usable(code: ParkingCode, now: datetime) -> None:
    """The row's own refusals: revoked, outside its window, used up."""
    if code.revoked_at is not None:
        raise refuse(ErrorCode.INVALID, CodeText.REVOKED)
    if code.valid_from is not None and now < code.valid_from:
        raise refuse(ErrorCode.EXPIRED, CodeText.NOT_YET_VALID)
    if now >= code.expires_at:
        raise refuse(ErrorCode.EXPIRED, CodeText.EXPIRED)
    if code.max_uses is not None and code.used_count >= code.max_uses:
        raise refuse(ErrorCode.USED, CodeText.USED_UP)


async def read_code(session: AsyncSession, secret: str, payload: str, now: datetime) -> ParkingCode:
    """The usable code the payload names; DomainError (``payload``) otherwise."""
    signed = payloads.verify(secret, payload)
    if signed is None:
        raise refuse(ErrorCode.INVALID, CodeText.INVALID)
    if signed.expires <= now.timestamp():
        raise refuse(ErrorCode.EXPIRED, CodeText.EXPIRED)
    code = await session.scalar(select(ParkingCode).where(ParkingCode.id == signed.code_id))
    if code is None:
        raise refuse(ErrorCode.INVALID, CodeText.INVALID)
    if code.nonce != signed.nonce:
        raise refuse(ErrorCode.INVALID, CodeText.REPLACED)
    check_usable(code, now)
    return code
