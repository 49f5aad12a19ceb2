"""What a frictionless order's transition means for its stay: open on ACCEPTED with 垫资, arrears on a failure
after the car left, arrears cleared when the driver pays them back (PAY_BACK)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.devices.models import GateCommand
from parking.lanes.release import release_waiting
from parking.payments.double import record_double_payment
from parking.payments.frictionless.models import FrictionlessParking
from parking.payments.frictionless.settings import FrictionlessSettings
from parking.payments.models import PaymentChannel, PaymentOrder
from parking.payments.state import DoublePayment, OrderState, RecordFailure, Transition
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot

logger = logging.getLogger(__name__)


def _stay_part(row: PaymentOrder) -> int:
    """The part of the order that was for this stay (the rest cleared earlier stays' arrears)."""
    return row.amount_fen - int((row.details or {}).get("arrears_fen", 0))


@dataclass(frozen=True)
class Outcome:
    """What a frictionless order's transition did beyond the common effects."""

    command: GateCommand | None = None  # the barrier opened on ACCEPTED (垫资)
    refund: str | None = None  # an automatic refund of money paid back twice, to send after commit


async def after_transition(
    tx: AsyncSession, row: PaymentOrder, transition: Transition, now: datetime, *, credited: bool
) -> Outcome:
    """Runs in the transaction that saved the transition, after its effects (``credited``: the payment was
    credited to the stay, not refused as a double payment); a duplicate or overtaken event never gets here (the
    state machine reports it unchanged)."""
    if row.channel is not PaymentChannel.WECHAT_PARKING or row.session_id is None:
        return Outcome()
    stay = await tx.get(ParkingSession, row.session_id, populate_existing=True, with_for_update=True)
    if stay is None:
        return Outcome()
    effects = transition.effects
    if transition.new_state.state is OrderState.PAYING and not effects:
        # ACCEPTED: the money is not taken yet. Only WeChat's advance (垫资) lets the car go now.
        lot = await tx.get(Lot, stay.lot_id)
        if lot is None or not FrictionlessSettings.of(lot.settings).advance:
            return Outcome()
        command = await release_waiting(
            tx,
            stay,
            now,
            ReleaseMethod.FRICTIONLESS,
            reason=f"accepted {row.out_trade_no} (垫资)",
            promised_fen=row.amount_fen,
        )
        return Outcome(command=command)
    if any(isinstance(e, RecordFailure) for e in effects):
        await _failed(tx, row, stay, now)
    elif credited and stay.state is not SessionState.IN_LOT:
        return Outcome(refund=await _paid_back(tx, row, stay, now))
    return Outcome()


async def _failed(tx: AsyncSession, row: PaymentOrder, stay: ParkingSession, now: datetime) -> None:
    """The deduction failed: no second try for this stay. A car already let out owes what is unpaid."""
    await tx.execute(
        update(FrictionlessParking)
        .where(FrictionlessParking.session_id == stay.id)
        .values(deduction_failed=True, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if stay.state is SessionState.IN_LOT:
        return  # still at the exit (or back in the lot): it pays another way before it leaves
    unpaid = max(0, stay.fee_due_fen - stay.discount_fen - stay.paid_fen)
    owed = min(_stay_part(row), unpaid)
    if owed > 0:
        logger.info("stay %s left on %s, which failed: %s fen become arrears", stay.id, row.out_trade_no, owed)
        await tx.execute(
            update(ParkingSession)
            .where(ParkingSession.id == stay.id)
            .values(arrears_fen=ParkingSession.arrears_fen + owed)
            .execution_options(synchronize_session=False)
        )


async def _paid_back(tx: AsyncSession, row: PaymentOrder, stay: ParkingSession, now: datetime) -> str | None:
    """Money for a failed deduction of a stay that has left (PAY_BACK): it clears the stay's own arrears; money
    beyond them (the arrears were paid at a later exit meanwhile) is a double payment and goes back. The
    automatic refund to send, if any."""
    if "failure" not in (row.details or {}):
        return None  # SUCCESS after an advance: nothing was owed
    part = _stay_part(row)
    cleared = min(part, stay.arrears_fen)
    if cleared > 0:
        await tx.execute(
            update(ParkingSession)
            .where(ParkingSession.id == stay.id)
            .values(arrears_fen=ParkingSession.arrears_fen - cleared)
            .execution_options(synchronize_session=False)
        )
    if part <= cleared:
        return None
    settled = DoublePayment.ALREADY_SETTLED
    return await record_double_payment(tx, row, settled, row.channel_trade_no, part - cleared, now)
