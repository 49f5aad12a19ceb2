"""What scanning a parking code does, per kind (扫码): the one place the drivers' GraphQL ``codeScan`` and the
mini-program's endpoints answer from.

- merchant, VIP and conference codes give the typed plate a coupon (``parking.codes.claims``);
- an exit code (出口码) shows the stay held at that exit now (plate masked: anyone there can scan) and what it
  owes, with a signed stay token to pay it;
- an in-lot code (场内码) shows the typed plate's open stay in the code's lot and its fee, to pay before leaving;
- a no-plate code (无牌码) is a no-plate car's reading at its lane, keyed by the logged-in driver.

The lanes' old ``qr_token`` routes answer through the same ``waiting_at_lane`` and ``no_plate_scan``. This sits
above payments because those answers need the lanes' bill and the payments' stay token; the codes themselves
(signing, reading, claims) live lower, in ``parking.codes``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.codes.claims import claim_coupon, code_lot_ids
from parking.codes.reading import read_code, refuse
from parking.codes.texts import CodeText
from parking.common.database import Database
from parking.common.errors import ErrorCode
from parking.common.scope import Scope
from parking.lanes import context
from parking.lanes.decisions import Decision
from parking.lanes.flow import LaneInput, handle_reading
from parking.lanes.release import waiting_event
from parking.merchants.models import CodeKind, Coupon, ParkingCode
from parking.payments.anonymous import issue_stay_token, masked_plate
from parking.plates import NO_PLATE, InvalidPlate, PlateColor, normalize_plate
from parking.sessions.discounts import CouponUse
from parking.sessions.enums import EventKind, ReadingSource
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.models import Lane, Lot

COUPON_KINDS = frozenset({CodeKind.MERCHANT, CodeKind.VIP, CodeKind.CONFERENCE})


@dataclass(frozen=True, slots=True)
class StayDue:
    """A stay to pay: named by a signed token, never by its id."""

    stay_token: str
    plate: str
    entry_at: datetime
    fee_fen: int
    lot_id: int
    # The merchant coupons the fee is after, one line each: the driver sees them before paying.
    coupon_fen: int = 0
    coupons: tuple[CouponUse, ...] = ()


@dataclass(frozen=True, slots=True)
class CouponClaimed:
    kind: CodeKind
    coupon: Coupon


@dataclass(frozen=True, slots=True)
class ExitWaiting:
    lane_id: int
    waiting: StayDue | None


@dataclass(frozen=True, slots=True)
class InLotStay:
    stay: StayDue


@dataclass(frozen=True, slots=True)
class NoPlatePassage:
    decision: Decision
    session_id: int | None
    stay_token: str | None


ScanResult = CouponClaimed | ExitWaiting | InLotStay | NoPlatePassage


def _plate(raw: str | None) -> str:
    if not raw or not raw.strip():
        raise refuse(ErrorCode.INVALID, CodeText.PLATE_NEEDED, "plate")
    try:
        return normalize_plate(raw[:32])
    except InvalidPlate as err:
        raise refuse(ErrorCode.INVALID, CodeText.PLATE_INVALID, "plate") from err


async def _due(session: AsyncSession, secret: str, stay: ParkingSession, plate: str, now: datetime) -> StayDue:
    lot = await session.get(Lot, stay.lot_id)
    assert lot is not None
    owed = await context.bill_stay(session, lot, stay, await context.load_plate(session, lot.id, stay.plate), now)
    return StayDue(
        stay_token=issue_stay_token(secret, stay.id, now),
        plate=plate,
        entry_at=stay.entry_at,
        fee_fen=owed.due_fen,
        lot_id=lot.id,
        coupon_fen=owed.coupon_fen,
        coupons=owed.coupons,
    )


async def waiting_at_lane(session: AsyncSession, secret: str, lane_id: int, now: datetime) -> StayDue | None:
    """The stay held at this exit now and what it owes (its plate masked), or None."""
    event = await session.scalar(
        select(LaneEvent).where(LaneEvent.lane_id == lane_id).order_by(LaneEvent.id.desc()).limit(1)
    )
    if event is None or event.kind is not EventKind.EXIT or event.session_id is None:
        return None
    stay = await session.get(ParkingSession, event.session_id)
    if stay is None or await waiting_event(session, stay, now) is None:
        return None
    return await _due(session, secret, stay, masked_plate(stay.plate), now)


async def no_plate_scan(db: Database, secret: str, lane_id: int, driver_key: str, now: datetime) -> NoPlatePassage:
    """A no-plate car's reading at the lane, keyed by its driver; a double tap within 10 s is one reading."""
    window = int(now.timestamp()) // 10
    key = hashlib.sha256(f"{lane_id}:{driver_key}:{window}".encode()).hexdigest()[:40]
    outcome = await handle_reading(
        db,
        LaneInput(
            lane_id=lane_id,
            plate=NO_PLATE,
            color=PlateColor.UNKNOWN,
            confidence=1.0,
            at=now,
            dedup_key=f"qr:{key}",
            source=ReadingSource.QR_SCAN,
            driver_key=driver_key,
        ),
        now,
    )
    stay_id = outcome.session_id
    return NoPlatePassage(
        decision=outcome.decision,
        session_id=stay_id,
        stay_token=issue_stay_token(secret, stay_id, now) if stay_id is not None else None,
    )


async def _active_lane(session: AsyncSession, code: ParkingCode) -> Lane:
    lane = await session.get(Lane, code.lane_id) if code.lane_id is not None else None
    if lane is None or not lane.is_active:
        raise refuse(ErrorCode.INVALID, CodeText.REVOKED)
    return lane


async def scan_code(
    db: Database,
    secret: str,
    payload: str,
    now: datetime,
    *,
    plate: str | None = None,
    lot_id: int | None = None,
    driver_key: str | None = None,
) -> ScanResult:
    """What the code answers. ``lot_id``: the lot the driver's app says it is at (a code of another lot is
    refused). A refusal raises DomainError and has changed nothing."""
    payload = payload[:200]
    async with db.transaction(Scope.internal()) as session:
        code = await read_code(session, secret, payload, now)
        if code.kind in COUPON_KINDS:
            if lot_id is not None and lot_id not in await code_lot_ids(session, code):
                raise refuse(ErrorCode.INVALID, CodeText.OTHER_LOT)
            coupon = await claim_coupon(session, code, _plate(plate), now)
            return CouponClaimed(kind=code.kind, coupon=coupon)
        if lot_id is not None and lot_id != code.lot_id:
            raise refuse(ErrorCode.INVALID, CodeText.OTHER_LOT)
        if code.kind is CodeKind.EXIT:
            lane = await _active_lane(session, code)
            return ExitWaiting(lane_id=lane.id, waiting=await waiting_at_lane(session, secret, lane.id, now))
        if code.kind is CodeKind.IN_LOT:
            typed = _plate(plate)
            stay = await context.open_stay(session, code.lot_id, typed)
            if stay is None:
                raise refuse(ErrorCode.NOT_FOUND, CodeText.NO_STAY_HERE, "plate")
            return InLotStay(stay=await _due(session, secret, stay, typed, now))
        lane_id = (await _active_lane(session, code)).id
    # NO_PLATE: the lane flow opens its own transaction.
    if driver_key is None:
        raise refuse(ErrorCode.INVALID, CodeText.DRIVER_LOGIN_NEEDED)
    return await no_plate_scan(db, secret, lane_id, driver_key, now)
