"""Paying a stay from its car's owner's wallet (stored value): one debit, one paid WALLET order, one credit.

The debit is a conditional UPDATE (``balance_fen >= amount``), so concurrent debits can never take a wallet
below zero; it runs in the same transaction as the order and the stay's credit, so a refusal changes nothing.
The caller's request key makes the order number: the same request twice finds its order and debits once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import audit
from parking.common.actor import Actor
from parking.common.database import Database
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.scope import Scope
from parking.payments.gateway import Channels
from parking.payments.ids import OUT_TRADE_NO
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder
from parking.payments.service import (
    StayRef,
    _bill,
    _find_stay,
    _new_order,
    _purpose,
    close_at_channels,
    close_open_orders,
)
from parking.payments.settle import Applied, carry_out, to_order
from parking.payments.state import PaymentSucceeded, apply
from parking.sessions.models import ParkingSession
from parking.vehicles.models import Vehicle, Wallet, WalletEntry

_KEY_CHARS = 31


@dataclass(frozen=True)
class WalletPayment:
    order: PaymentOrder
    applied: Applied
    balance_fen: int
    reused: bool


def wallet_trade_no(session_id: int, request_key: str) -> str:
    """``W`` + a digest of (stay, request key): the same request maps to the same order number."""
    value = "W" + hashlib.sha256(f"{session_id}:{request_key}".encode()).hexdigest()[:_KEY_CHARS].upper()
    assert OUT_TRADE_NO.match(value), value
    return value


async def _wallet_for(tx: AsyncSession, stay: ParkingSession) -> Wallet:
    vehicle = await tx.scalar(select(Vehicle).where(Vehicle.lot_id == stay.lot_id, Vehicle.plate == stay.plate))
    if vehicle is None or vehicle.owner_id is None:
        raise NotFound("owner of this car", "sessionId")
    wallet = await tx.scalar(select(Wallet).where(Wallet.owner_id == vehicle.owner_id, Wallet.lot_id == stay.lot_id))
    if wallet is None:
        raise NotFound("wallet of this car's owner", "sessionId")
    return wallet


async def _debit(tx: AsyncSession, wallet: Wallet, row: PaymentOrder, now: datetime) -> int:
    """Take the order's amount if the balance covers it (one statement: never below zero), with its entry."""
    result = await tx.execute(
        update(Wallet)
        .where(Wallet.id == wallet.id, Wallet.balance_fen >= row.amount_fen)
        .values(balance_fen=Wallet.balance_fen - row.amount_fen, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, "the wallet does not cover what the stay owes", "sessionId")
    tx.add(
        WalletEntry(
            agent_id=wallet.agent_id,
            customer_id=wallet.customer_id,
            lot_id=wallet.lot_id,
            wallet_id=wallet.id,
            at=now,
            amount_fen=-row.amount_fen,
            reason="parking payment",
            reference=row.out_trade_no,
        )
    )
    fresh = await tx.get(Wallet, wallet.id, populate_existing=True)
    assert fresh is not None
    return fresh.balance_fen


async def _balance(tx: AsyncSession, stay: ParkingSession) -> int:
    return (await _wallet_for(tx, stay)).balance_fen


async def pay_from_wallet(
    db: Database,
    channels: Channels,
    scope: Scope,
    ref: StayRef,
    request_key: str,
    now: datetime,
    *,
    operator_id: int | None = None,
    actor: Actor | None = None,
) -> WalletPayment:
    """Debit what the stay owes from its owner's wallet: paid at once, credited, a waiting car let out."""
    key = request_key.strip()
    if not key or len(key) > 64:
        raise DomainError(ErrorCode.INVALID, "a request key of 1 to 64 characters is needed", "requestKey")
    field = "sessionId" if ref.session_id is not None else "plate"
    for attempt in range(2):
        to_close: list[tuple[PaymentChannel, str]] = []
        try:
            async with db.transaction(scope) as tx:
                stay = await _find_stay(tx, ref)
                trade_no = wallet_trade_no(stay.id, key)
                done = await tx.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == trade_no))
                if done is not None:
                    return WalletPayment(done, Applied(done.status), await _balance(tx, stay), True)
                lot, owed = await _bill(tx, stay, now, field)
                wallet = await _wallet_for(tx, stay)
                to_close = await close_open_orders(tx, stay.id, now)
                row = _new_order(lot, stay, owed, PaymentChannel.WALLET, await _purpose(tx, stay, now), now)
                row.out_trade_no = trade_no
                row.operator_id = operator_id
                tx.add(row)
                await tx.flush()
                balance = await _debit(tx, wallet, row, now)
                transition = apply(to_order(row), PaymentSucceeded(f"wallet-{row.id}", row.amount_fen, now))
                row.status = OrderStatus.PAID
                row.channel_trade_no = f"wallet-{row.id}"
                row.paid_at = now
                await tx.flush()
                applied = await carry_out(tx, row, transition, now)
                if actor is not None:
                    audit.record(
                        tx,
                        actor,
                        "payment.wallet",
                        "payment_order",
                        entity_id=row.id,
                        after=audit.snapshot(row),
                        tenant=row,
                    )
        except IntegrityError:
            # The same request ran at the same moment and made the order first: the next pass returns it.
            if attempt == 1:
                raise
            continue
        await close_at_channels(channels, to_close)
        return WalletPayment(row, applied, balance, False)
    raise AssertionError("unreachable")
