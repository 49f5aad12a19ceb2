"""A merchant's money with its lot and its stock of coupons: top-ups, stock credited on account, packs bought.

The balance moves by one conditional UPDATE (``balance + amount >= -credit_limit``) that returns the new
balance: two credits racing for the last of the credit line cannot both pass (PostgreSQL re-checks the
condition on the row the first one changed), and each ledger entry records the balance after its own move, so
the statement (entries by id) adds up.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record, snapshot
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.merchants import inputs
from parking.merchants.issuing import merchant_lot_ids
from parking.merchants.models import (
    CouponStock,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    StockSource,
)
from parking.merchants.service import require_own_merchant
from parking.merchants.texts import MerchantText, text


def yuan(fen: int) -> str:
    return f"{fen / 100:.2f}"


async def move_balance(
    session: AsyncSession,
    merchant: Merchant,
    kind: LedgerKind,
    amount_fen: int,
    *,
    note: str = "",
    stock_id: int | None = None,
    order_id: int | None = None,
    operator_id: int | None = None,
) -> MerchantLedgerEntry:
    """Add ``amount_fen`` (signed) to the balance, refused with INSUFFICIENT_FUNDS below the credit limit."""
    balance = await session.scalar(
        update(Merchant)
        .where(Merchant.id == merchant.id, Merchant.balance_fen + amount_fen >= -Merchant.credit_limit_fen)
        .values(balance_fen=Merchant.balance_fen + amount_fen)
        .returning(Merchant.balance_fen),
        execution_options={"synchronize_session": False},
    )
    if balance is None:
        fresh = await session.execute(
            select(Merchant.balance_fen, Merchant.credit_limit_fen).where(Merchant.id == merchant.id)
        )
        now_balance, limit = fresh.one()
        message = text(MerchantText.INSUFFICIENT_FUNDS, needed=yuan(-amount_fen), available=yuan(now_balance + limit))
        raise DomainError(ErrorCode.INSUFFICIENT_FUNDS, message, "quantity" if kind is LedgerKind.CREDIT else None)
    set_committed_value(merchant, "balance_fen", balance)
    entry = MerchantLedgerEntry(
        agent_id=merchant.agent_id,
        customer_id=merchant.customer_id,
        lot_id=merchant.lot_id,
        merchant_id=merchant.id,
        kind=kind,
        amount_fen=amount_fen,
        balance_after_fen=balance,
        stock_id=stock_id,
        order_id=order_id,
        operator_id=operator_id,
        note=note,
    )
    session.add(entry)
    await session.flush()
    return entry


async def top_up(session: AsyncSession, actor: Actor, data: inputs.TopUp) -> MerchantLedgerEntry:
    """The lot records money it received from the merchant (充值)."""
    merchant = await crud.get(session, Merchant, data.merchant_id, "merchantId")
    note = data.note or text(MerchantText.TOP_UP_NOTE)
    entry = await move_balance(
        session, merchant, LedgerKind.TOP_UP, data.amount_fen, note=note, operator_id=actor.operator_id
    )
    record(session, actor, "merchant.top_up", "merchant", entity_id=merchant.id, after=snapshot(entry), tenant=merchant)
    return entry


async def sellable_template(
    session: AsyncSession, merchant: Merchant, template_id: int | str, now: datetime
) -> CouponTemplate:
    """A template the merchant can get stock of: active, of one of its lots, and the merchant active."""
    if not merchant.is_active:
        raise DomainError(ErrorCode.INACTIVE, text(MerchantText.MERCHANT_INACTIVE), "merchantId")
    template = await crud.get(session, CouponTemplate, template_id, "templateId")
    if not template.is_active:
        raise DomainError(ErrorCode.INACTIVE, text(MerchantText.TEMPLATE_NOT_FOR_SALE), "templateId")
    if template.lot_id not in await merchant_lot_ids(session, merchant):
        raise DomainError(ErrorCode.INVALID, "the template belongs to a lot the merchant is not in", "templateId")
    return template


def new_stock(
    merchant: Merchant,
    template: CouponTemplate,
    quantity: int,
    source: StockSource,
    price_fen: int,
    order_id: int | None = None,
) -> CouponStock:
    return CouponStock(
        agent_id=template.agent_id,
        customer_id=template.customer_id,
        lot_id=template.lot_id,
        merchant_id=merchant.id,
        template_id=template.id,
        source=source,
        quantity=quantity,
        remaining=quantity,
        price_fen=price_fen,
        order_id=order_id,
    )


async def credit_stock(session: AsyncSession, actor: Actor, data: inputs.StockCredit, now: datetime) -> CouponStock:
    """The lot gives the merchant a pack: free, or on account at quantity × price off the balance (记账)."""
    merchant = await crud.get(session, Merchant, data.merchant_id, "merchantId")
    require_own_merchant(actor, merchant.id)
    template = await sellable_template(session, merchant, data.template_id, now)
    price = data.quantity * template.price_fen if data.charge else 0
    stock = new_stock(merchant, template, data.quantity, StockSource.CREDIT, price)
    session.add(stock)
    await session.flush()
    if price > 0:
        await move_balance(
            session,
            merchant,
            LedgerKind.CREDIT,
            -price,
            note=text(MerchantText.CREDIT_NOTE, quantity=data.quantity),
            stock_id=stock.id,
            operator_id=actor.operator_id,
        )
    record(
        session, actor, "coupon_stock.credit", "coupon_stock", entity_id=stock.id, after=snapshot(stock), tenant=stock
    )
    return stock


async def deliver_pack(
    session: AsyncSession,
    *,
    order_id: int,
    out_trade_no: str,
    merchant_id: int,
    template_id: int,
    quantity: int,
    amount_fen: int,
) -> CouponStock:
    """A paid pack order's stock (once per order: ``order_id`` is unique) and its PURCHASE ledger entry.

    Called in the transaction that marks the order paid; the money went through the channel, so the balance
    is unchanged (the entry's amount is 0, the pack's price is on the stock)."""
    existing = await session.scalar(select(CouponStock).where(CouponStock.order_id == order_id))
    if existing is not None:
        return existing
    merchant = await session.get(Merchant, merchant_id)
    template = await session.get(CouponTemplate, template_id)
    if merchant is None or template is None:
        raise NotFound("Merchant" if merchant is None else "CouponTemplate")
    stock = new_stock(merchant, template, quantity, StockSource.PURCHASE, amount_fen, order_id)
    session.add(stock)
    await session.flush()
    await move_balance(
        session,
        merchant,
        LedgerKind.PURCHASE,
        0,
        note=text(MerchantText.PURCHASE_NOTE, quantity=quantity, out_trade_no=out_trade_no),
        stock_id=stock.id,
        order_id=order_id,
    )
    return stock
