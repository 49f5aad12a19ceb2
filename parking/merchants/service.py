"""Merchant use-cases: register and change the merchants of a lot, their other lots and their invite code."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.merchants import inputs
from parking.merchants.models import Merchant, MerchantLot
from parking.merchants.texts import MerchantText, text
from parking.tenancy.models import Lot


def new_invite_code() -> str:
    """What a merchant's staff types once to bind their account to it: 16 characters, too many to guess."""
    return secrets.token_urlsafe(12)


def require_own_merchant(actor: Actor, merchant_id: int) -> None:
    """A merchant's operator acts for its own merchant only (its scope already hides the others: this says so
    plainly where a merchant id is given)."""
    own = actor.scope.merchant_id
    if own is not None and own != merchant_id:
        raise DomainError(ErrorCode.PERMISSION_DENIED, text(MerchantText.OTHER_MERCHANT), "merchantId")


async def _other_lots(session: AsyncSession, merchant: Merchant, raw_ids: list[str]) -> list[int]:
    """The merchant's other lots, checked: visible, of the same customer, not its home lot (that is implied)."""
    ids = sorted({crud.parse_id(raw, "lotIds") for raw in raw_ids} - {merchant.lot_id})
    if not ids:
        return []
    rows = (await session.execute(select(Lot.id, Lot.customer_id).where(Lot.id.in_(ids)))).all()
    if len(rows) != len(ids):
        raise DomainError(ErrorCode.NOT_FOUND, "a lot of lotIds was not found", "lotIds")
    if any(customer_id != merchant.customer_id for _, customer_id in rows):
        raise DomainError(ErrorCode.INVALID, text(MerchantText.MERCHANT_LOT_OTHER_CUSTOMER), "lotIds")
    return ids


async def _set_other_lots(session: AsyncSession, merchant: Merchant, raw_ids: list[str]) -> None:
    ids = await _other_lots(session, merchant, raw_ids)
    await session.execute(
        delete(MerchantLot).where(MerchantLot.merchant_id == merchant.id).execution_options(synchronize_session=False)
    )
    if ids:
        owner = {"agent_id": merchant.agent_id, "customer_id": merchant.customer_id, "merchant_id": merchant.id}
        await session.execute(insert(MerchantLot), [{**owner, "lot_id": lot_id} for lot_id in ids])


async def create_merchant(session: AsyncSession, actor: Actor, data: inputs.MerchantCreate) -> Merchant:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    merchant = Merchant(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        name=data.name,
        contact_name=data.contact_name or "",
        phone=data.phone,
        credit_limit_fen=data.credit_limit_fen,
        invite_code=new_invite_code(),
    )
    merchant = await crud.create(session, actor, merchant)
    await _set_other_lots(session, merchant, data.lot_ids)
    return merchant


async def update_merchant(
    session: AsyncSession, actor: Actor, merchant_id: str, data: inputs.MerchantUpdate
) -> Merchant:
    merchant = await crud.get(session, Merchant, merchant_id)
    if data.credit_limit_fen is not None and merchant.balance_fen < -data.credit_limit_fen:
        raise DomainError(
            ErrorCode.CONFLICT, "the balance is already below minus this credit limit: top up first", "creditLimitFen"
        )
    if data.lot_ids is not None:
        await _set_other_lots(session, merchant, data.lot_ids)
    return await crud.update(session, actor, merchant, crud.changes_of(data, exclude=frozenset({"lot_ids"})))


async def rotate_invite(session: AsyncSession, actor: Actor, merchant_id: str) -> Merchant:
    """A new invite code: the old one stops working (operators already bound stay bound)."""
    merchant = await crud.get(session, Merchant, merchant_id)
    return await crud.update(session, actor, merchant, {"invite_code": new_invite_code()})


async def other_lot_ids(session: AsyncSession, merchant_ids: list[int]) -> dict[int, list[int]]:
    """Each merchant's other lots (one query for a page of merchants)."""
    found: dict[int, list[int]] = {merchant_id: [] for merchant_id in merchant_ids}
    rows = await session.execute(
        select(MerchantLot.merchant_id, MerchantLot.lot_id)
        .where(MerchantLot.merchant_id.in_(merchant_ids))
        .order_by(MerchantLot.lot_id)
    )
    for merchant_id, lot_id in rows.all():
        found[merchant_id].append(lot_id)
    return found
