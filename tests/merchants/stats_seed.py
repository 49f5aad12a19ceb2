"""Rows of the coupon economy written directly (no issuing API): merchants, templates, stocks, ledger, coupons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.auth import issue_token
from parking.accounts.models import Operator, Role
from parking.common.scope import ScopeLevel
from parking.merchants.models import (
    Coupon,
    CouponKind,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    MerchantLot,
    StockSource,
)
from parking.tenancy.models import Lot
from tests.factories import PASSWORD_HASH, SECRET

_numbers = count(1)


def at(text: str) -> datetime:
    """A UTC instant from ``YYYY-MM-DD HH:MM``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def merchant(s: AsyncSession, lot_id: int, name: str, *, other_lots: tuple[int, ...] = ()) -> Merchant:
    lot = await s.get(Lot, lot_id)
    assert lot is not None
    row = Merchant(
        agent_id=lot.agent_id, customer_id=lot.customer_id, lot_id=lot.id, name=name, credit_limit_fen=100_000
    )
    s.add(row)
    await s.flush()
    for other in other_lots:
        o = await s.get(Lot, other)
        assert o is not None
        s.add(MerchantLot(agent_id=o.agent_id, customer_id=o.customer_id, lot_id=o.id, merchant_id=row.id))
    await s.flush()
    return row


async def template(s: AsyncSession, lot_id: int, name: str = "2h", price_fen: int = 500) -> CouponTemplate:
    lot = await s.get(Lot, lot_id)
    assert lot is not None
    row = CouponTemplate(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        name=name,
        kind=CouponKind.MINUTES,
        value=120,
        price_fen=price_fen,
    )
    s.add(row)
    await s.flush()
    return row


async def stock(
    s: AsyncSession,
    m: Merchant,
    t: CouponTemplate,
    *,
    source: StockSource,
    quantity: int,
    remaining: int,
    price_fen: int,
    created: datetime,
    charged_fen: int | None = None,
) -> CouponStock:
    """A pack; ``charged_fen`` writes the CREDIT ledger entry that charged it to the balance."""
    row = CouponStock(
        agent_id=t.agent_id,
        customer_id=t.customer_id,
        lot_id=t.lot_id,
        merchant_id=m.id,
        template_id=t.id,
        source=source,
        quantity=quantity,
        remaining=remaining,
        price_fen=price_fen,
        created_at=created,
        updated_at=created,
    )
    s.add(row)
    await s.flush()
    if charged_fen is not None:
        m.balance_fen -= charged_fen
        s.add(
            MerchantLedgerEntry(
                agent_id=m.agent_id,
                customer_id=m.customer_id,
                lot_id=m.lot_id,
                merchant_id=m.id,
                kind=LedgerKind.CREDIT,
                amount_fen=-charged_fen,
                balance_after_fen=m.balance_fen,
                stock_id=row.id,
                created_at=created,
                updated_at=created,
            )
        )
        await s.flush()
    return row


async def coupon(
    s: AsyncSession,
    m: Merchant,
    t: CouponTemplate,
    *,
    created: datetime,
    status: CouponStatus = CouponStatus.ISSUED,
    valid_until: datetime | None = None,
    redeemed_at: datetime | None = None,
    discount_fen: int = 0,
    changed: datetime | None = None,
    plate: str = "京A12345",
    **extra: Any,
) -> Coupon:
    row = Coupon(
        agent_id=t.agent_id,
        customer_id=t.customer_id,
        lot_id=t.lot_id,
        merchant_id=m.id,
        template_id=t.id,
        code=f"T{next(_numbers):09d}",
        kind=t.kind,
        value=t.value,
        status=status,
        plate=plate,
        valid_from=created,
        valid_until=valid_until or created + timedelta(days=1),
        redeemed_at=redeemed_at,
        discount_fen=discount_fen,
        created_at=created,
        updated_at=changed or created,
        **extra,
    )
    s.add(row)
    await s.flush()
    return row


async def merchant_operator(s: AsyncSession, m: Merchant, username: str, permissions: list[str]) -> str:
    """An operator of merchant ``m`` (a lot-level operator of its customer) and its token."""
    role = Role(name=f"merchant {username}", permissions=permissions, scope_level=ScopeLevel.LOT)
    s.add(role)
    await s.flush()
    op = Operator(
        scope_level=ScopeLevel.CUSTOMER,
        agent_id=m.agent_id,
        customer_id=m.customer_id,
        username=username,
        display_name=username,
        password_hash=PASSWORD_HASH,
        role_id=role.id,
        merchant_id=m.id,
    )
    s.add(op)
    await s.flush()
    return issue_token(SECRET, op, datetime.now(UTC), 3600)
