"""Asking WeChat to deduct a held car's fee (``transactions/parking``), after the exit reading has committed.

The order is the stay's one open order (reused when the car is read again); the answer (usually ACCEPTED) and
every later notification go through ``settle.apply_to_order``, so the stay is credited and the gate opened once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from parking.common.database import Database
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.lanes.release import waiting_event
from parking.payments.channels.base import TradeState, status_event
from parking.payments.errors import ChannelError
from parking.payments.frictionless.models import EntryState, FrictionlessParking
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel
from parking.payments.refunds import send_refunds
from parking.payments.service import StayRef, close_at_channels, reserve_order
from parking.payments.settle import apply_to_order
from parking.payments.state import PaymentFailed, PaymentStarted
from parking.plates import PlateColor
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Held:
    parking_id: str
    plate: str
    color: PlateColor
    entered_at: datetime
    read_at: datetime
    lane_id: int
    parking_name: str


async def _held(db: Database, session_id: int, lane_event_id: int, now: datetime) -> _Held | None:
    """The registration and the held reading, when this car still waits at that exit for a deduction."""
    async with db.session(Scope.internal()) as s:
        entry = await s.scalar(select(FrictionlessParking).where(FrictionlessParking.session_id == session_id))
        stay = await s.get(ParkingSession, session_id)
        if (
            entry is None
            or entry.state is not EntryState.NORMAL
            or entry.deduction_failed
            or not entry.parking_id
            or stay is None
            or stay.state is not SessionState.IN_LOT
        ):
            return None
        waiting = await waiting_event(s, stay, now)
        if waiting is None or waiting.id != lane_event_id:
            return None  # the car backed away, or another reading came after this one
        lot = await s.get(Lot, stay.lot_id)
        assert lot is not None
        return _Held(
            entry.parking_id, stay.plate, stay.plate_color, stay.entry_at, waiting.at, waiting.lane_id, lot.name
        )


async def request_deduction(
    db: Database, channels: Channels, session_id: int, lane_event_id: int, now: datetime
) -> OrderStatus | None:
    """Make (or reuse) the exit order and ask WeChat to deduct it. Returns the order's status, or None when
    there is nothing to deduct. A refused deduction fails the order (the driver pays another way); a transport
    error is raised for a retry, which asks again under the same ``out_trade_no``."""
    service = channels.wechat_parking
    if service is None:
        return None
    held = await _held(db, session_id, lane_event_id, now)
    if held is None:
        return None
    try:
        order, to_close, _ = await reserve_order(
            db, Scope.internal(), StayRef(session_id=session_id), PaymentChannel.WECHAT_PARKING, "", now
        )
    except DomainError as err:
        logger.info("no deduction for stay %s: %s", session_id, err.message)
        return None
    await close_at_channels(channels, to_close)
    if order.status is not OrderStatus.CREATED:
        return order.status  # asked before (the car was read again): WeChat's answer is on its way
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(
            update(FrictionlessParking)
            .where(FrictionlessParking.session_id == session_id)
            .values(out_trade_no=order.out_trade_no, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    try:
        status = await service.charge(
            out_trade_no=order.out_trade_no,
            amount_fen=order.amount_fen,
            parking_id=held.parking_id,
            plate=held.plate,
            color=held.color,
            entered_at=held.entered_at,
            left_at=held.read_at,
            parking_name=held.parking_name,
            device_id=f"lane-{held.lane_id}",
        )
    except ChannelError as err:
        if err.status is None:
            raise
        logger.warning("deduction %s refused: %s", order.out_trade_no, err)
        applied = await apply_to_order(db, order.out_trade_no, now, event=PaymentFailed(f"refused: {err.status}"))
        return applied.status
    # ACCEPTED without a transaction id still means WeChat took the request: the order is paying.
    event = status_event(status) or (PaymentStarted() if status.state is TradeState.PAYING else None)
    if event is None:
        return order.status
    applied = await apply_to_order(db, order.out_trade_no, now, event=event)
    await send_refunds(db, channels, applied.refunds_to_send, now)
    return applied.status
