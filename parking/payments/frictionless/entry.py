"""Registering a new stay with WeChat (``parkings``), after the entry has committed; safe to run twice."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.channels.wechat_parking import WECHAT_PLATE_COLORS, ParkingEntry, WeChatParkingService
from parking.payments.errors import ChannelError
from parking.payments.frictionless.models import EntryState, FrictionlessParking
from parking.payments.frictionless.settings import FrictionlessSettings
from parking.payments.ids import new_out_trade_no
from parking.payments.models import PaymentChannel, PaymentOrder
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)

_ATTEMPTS = 2


@dataclass(frozen=True, slots=True)
class _Pending:
    """What the WeChat calls need, read in the transaction that made (or found) the pending row."""

    row_id: int
    out_parking_no: str
    plate: str
    color: PlateColor
    entered_at: datetime
    parking_name: str
    free_duration_s: int
    openid: str | None


async def known_openid(tx: AsyncSession, customer_id: int, plate: str) -> str | None:
    """A WeChat user who paid for this plate before (a JSAPI order): the service lookup needs an openid."""
    payer: str | None = await tx.scalar(
        select(PaymentOrder.payer_key)
        .where(
            PaymentOrder.customer_id == customer_id,
            PaymentOrder.plate == plate,
            PaymentOrder.channel == PaymentChannel.WECHAT_JSAPI,
            PaymentOrder.payer_key != "",
            # Someone who paid on behalf of the driver (代缴) is not the plate's WeChat user.
            PaymentOrder.on_behalf.is_(False),
        )
        .order_by(PaymentOrder.id.desc())
        .limit(1)
    )
    return payer


async def _pending(db: Database, session_id: int, now: datetime) -> _Pending | None:
    """The stay's row, made if missing; None when there is nothing (more) to register."""
    for attempt in range(_ATTEMPTS):
        try:
            async with db.transaction(Scope.internal()) as tx:
                stay = await tx.get(ParkingSession, session_id)
                if (
                    stay is None
                    or stay.state is not SessionState.IN_LOT
                    or stay.parent_id is not None
                    or stay.driver_key is not None
                    or stay.plate == NO_PLATE
                    or stay.plate_color not in WECHAT_PLATE_COLORS
                ):
                    return None
                row = await tx.scalar(select(FrictionlessParking).where(FrictionlessParking.session_id == session_id))
                if row is not None and row.state is not EntryState.PENDING:
                    return None  # already answered: a retried message does nothing
                if row is None:
                    row = FrictionlessParking(
                        agent_id=stay.agent_id,
                        customer_id=stay.customer_id,
                        lot_id=stay.lot_id,
                        session_id=stay.id,
                        plate=stay.plate,
                        out_parking_no=new_out_trade_no(now, "E"),
                    )
                    tx.add(row)
                    await tx.flush()
                lot = await tx.get(Lot, stay.lot_id)
                assert lot is not None
                settings = FrictionlessSettings.of(lot.settings)
                return _Pending(
                    row.id,
                    row.out_parking_no,
                    stay.plate,
                    stay.plate_color,
                    stay.entry_at,
                    lot.name,
                    settings.free_minutes * 60,
                    await known_openid(tx, stay.customer_id, stay.plate),
                )
        except IntegrityError:
            # The same stay registered concurrently (a redelivered message): read the other one's row.
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def register_entry(db: Database, service: WeChatParkingService, session_id: int, now: datetime) -> EntryState:
    """Look up the plate's service state when a driver's openid is known, and register the entry; the answer
    (NORMAL: WeChat deducts at exit; BLOCKED: pay another way) is stored. A transport error is raised with the
    row left pending, so a retry registers it under the same ``out_parking_no``."""
    pending = await _pending(db, session_id, now)
    if pending is None:
        async with db.session(Scope.internal()) as s:
            state = await s.scalar(
                select(FrictionlessParking.state).where(FrictionlessParking.session_id == session_id)
            )
        return state or EntryState.FAILED
    service_state = ""
    if pending.openid:
        try:
            service_state = (await service.find_service(pending.plate, pending.color, pending.openid)).value
        except (ChannelError, ValueError) as err:
            logger.warning("service state of %s not known: %s", pending.plate, err)
    values: dict[str, object]
    try:
        entry: ParkingEntry = await service.enter(
            pending.out_parking_no,
            pending.plate,
            pending.color,
            pending.entered_at,
            pending.parking_name,
            pending.free_duration_s,
        )
        state = EntryState.NORMAL if entry.state == "NORMAL" else EntryState.BLOCKED
        values = {"parking_id": entry.parking_id, "state": state, "block_reason": entry.block_reason[:64]}
    except ChannelError as err:
        if err.status is None:
            raise
        logger.warning("entry of %s refused by WeChat: %s", pending.plate, err)
        state = EntryState.FAILED
        values = {"state": state, "block_reason": f"refused {err.status}"}
    async with db.transaction(Scope.internal()) as tx:
        # Only the first answer is stored: an entrance-state notification may already have moved the row on.
        await tx.execute(
            update(FrictionlessParking)
            .where(FrictionlessParking.id == pending.row_id, FrictionlessParking.state == EntryState.PENDING)
            .values(**values, service_state=service_state, state_changed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return state
