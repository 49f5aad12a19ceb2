"""Merchant use-cases: register and change the merchants of a lot."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.merchants import inputs
from parking.merchants.models import Merchant
from parking.tenancy.models import Lot


async def create_merchant(session: AsyncSession, actor: Actor, data: inputs.MerchantCreate) -> Merchant:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    merchant = Merchant(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        name=data.name,
        contact_name=data.contact_name or "",
        phone=data.phone,
    )
    return await crud.create(session, actor, merchant)


async def update_merchant(
    session: AsyncSession, actor: Actor, merchant_id: str, data: inputs.MerchantUpdate
) -> Merchant:
    merchant = await crud.get(session, Merchant, merchant_id)
    return await crud.update(session, actor, merchant, crud.changes_of(data))
