"""Owner, vehicle, group, wallet, list and pass use-cases within the actor's scope."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.tenancy.models import Lot
from parking.vehicles import inputs
from parking.vehicles.models import (
    ListEntry,
    Owner,
    Pass,
    PassProduct,
    PassRenewal,
    Vehicle,
    VehicleGroup,
    Wallet,
    WalletEntry,
)
from parking.vehicles.periods import extend

logger = logging.getLogger(__name__)


def _tenant(lot: Lot) -> dict[str, int]:
    return {"agent_id": lot.agent_id, "customer_id": lot.customer_id, "lot_id": lot.id}


async def _owner_in(session: AsyncSession, lot_id: int, raw_id: str, field: str = "ownerId") -> Owner:
    owner = await crud.get(session, Owner, raw_id, field)
    if owner.lot_id != lot_id:
        raise DomainError(ErrorCode.INVALID, "owner belongs to another lot", field)
    return owner


async def _group_in(session: AsyncSession, lot_id: int, raw_id: str, field: str = "groupId") -> VehicleGroup:
    group = await crud.get(session, VehicleGroup, raw_id, field)
    if group.lot_id != lot_id:
        raise DomainError(ErrorCode.INVALID, "vehicle group belongs to another lot", field)
    return group


async def create_owner(session: AsyncSession, actor: Actor, data: inputs.OwnerCreate) -> Owner:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    owner = Owner(**_tenant(lot), **data.model_dump(exclude={"lot_id"}))
    return await crud.create(session, actor, owner)


async def update_owner(session: AsyncSession, actor: Actor, owner_id: str, data: inputs.OwnerUpdate) -> Owner:
    owner = await crud.get(session, Owner, owner_id)
    return await crud.update(session, actor, owner, crud.changes_of(data))


async def delete_owner(session: AsyncSession, actor: Actor, owner_id: str) -> int:
    return await crud.delete(session, actor, await crud.get(session, Owner, owner_id))


async def create_vehicle(session: AsyncSession, actor: Actor, data: inputs.VehicleCreate) -> Vehicle:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    owner_id = None if data.owner_id is None else (await _owner_in(session, lot.id, data.owner_id)).id
    group_id = None if data.group_id is None else (await _group_in(session, lot.id, data.group_id)).id
    vehicle = Vehicle(
        **_tenant(lot),
        owner_id=owner_id,
        group_id=group_id,
        **data.model_dump(exclude={"lot_id", "owner_id", "group_id"}),
    )
    return await crud.create(session, actor, vehicle)


async def update_vehicle(session: AsyncSession, actor: Actor, vehicle_id: str, data: inputs.VehicleUpdate) -> Vehicle:
    vehicle = await crud.get(session, Vehicle, vehicle_id)
    changes = crud.changes_of(data)
    if "owner_id" in changes:
        changes["owner_id"] = (await _owner_in(session, vehicle.lot_id, changes["owner_id"])).id
    if "group_id" in changes:
        changes["group_id"] = (await _group_in(session, vehicle.lot_id, changes["group_id"])).id
    return await crud.update(session, actor, vehicle, changes)


async def delete_vehicle(session: AsyncSession, actor: Actor, vehicle_id: str) -> int:
    return await crud.delete(session, actor, await crud.get(session, Vehicle, vehicle_id))


async def create_group(session: AsyncSession, actor: Actor, data: inputs.VehicleGroupCreate) -> VehicleGroup:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    owner_id = None if data.owner_id is None else (await _owner_in(session, lot.id, data.owner_id)).id
    group = VehicleGroup(**_tenant(lot), owner_id=owner_id, name=data.name, spaces=data.spaces)
    return await crud.create(session, actor, group)


async def update_group(
    session: AsyncSession, actor: Actor, group_id: str, data: inputs.VehicleGroupUpdate
) -> VehicleGroup:
    group = await crud.get(session, VehicleGroup, group_id)
    changes = crud.changes_of(data)
    if "owner_id" in changes:
        changes["owner_id"] = (await _owner_in(session, group.lot_id, changes["owner_id"])).id
    return await crud.update(session, actor, group, changes)


async def _wallet_of(session: AsyncSession, actor: Actor, owner: Owner) -> Wallet:
    # Row lock: two concurrent debits must not both read the same balance (PostgreSQL; SQLite serialises writes).
    wallet = await session.scalar(select(Wallet).where(Wallet.owner_id == owner.id).with_for_update())
    if wallet is None:
        wallet = await crud.create(
            session,
            actor,
            Wallet(agent_id=owner.agent_id, customer_id=owner.customer_id, lot_id=owner.lot_id, owner_id=owner.id),
        )
    return wallet


async def move_wallet(
    session: AsyncSession, actor: Actor, data: inputs.WalletMove, *, debit: bool, now: datetime
) -> Wallet:
    """Top up (credit) or debit an owner's wallet, writing the entry beside the new balance."""
    owner = await crud.get(session, Owner, data.owner_id, "ownerId")
    wallet = await _wallet_of(session, actor, owner)
    amount = -data.amount_fen if debit else data.amount_fen
    if wallet.balance_fen + amount < 0:
        raise DomainError(ErrorCode.INVALID, "insufficient wallet balance", "amountFen")
    entry = WalletEntry(
        agent_id=wallet.agent_id,
        customer_id=wallet.customer_id,
        lot_id=wallet.lot_id,
        wallet_id=wallet.id,
        at=now,
        amount_fen=amount,
        reason=data.reason,
        reference=data.reference,
    )
    await crud.create(session, actor, entry)
    return await crud.update(session, actor, wallet, {"balance_fen": wallet.balance_fen + amount})


def _check_window(valid_from: datetime, valid_until: datetime | None) -> None:
    if valid_until is not None and valid_until <= valid_from:
        raise DomainError(ErrorCode.INVALID, "validUntil must be after validFrom", "validUntil")


async def create_list_entry(session: AsyncSession, actor: Actor, data: inputs.ListEntryCreate) -> ListEntry:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    _check_window(data.valid_from, data.valid_until)
    entry = ListEntry(**_tenant(lot), **data.model_dump(exclude={"lot_id"}))
    return await crud.create(session, actor, entry)


async def update_list_entry(
    session: AsyncSession, actor: Actor, entry_id: str, data: inputs.ListEntryUpdate
) -> ListEntry:
    entry = await crud.get(session, ListEntry, entry_id)
    changes = crud.changes_of(data)
    _check_window(changes.get("valid_from", entry.valid_from), changes.get("valid_until", entry.valid_until))
    return await crud.update(session, actor, entry, changes)


async def delete_list_entry(session: AsyncSession, actor: Actor, entry_id: str) -> int:
    return await crud.delete(session, actor, await crud.get(session, ListEntry, entry_id))


async def create_product(session: AsyncSession, actor: Actor, data: inputs.PassProductCreate) -> PassProduct:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    product = PassProduct(**_tenant(lot), **data.model_dump(exclude={"lot_id"}))
    return await crud.create(session, actor, product)


async def update_product(
    session: AsyncSession, actor: Actor, product_id: str, data: inputs.PassProductUpdate
) -> PassProduct:
    product = await crud.get(session, PassProduct, product_id)
    changes = crud.changes_of(data)
    if "quota" in data.model_fields_set and data.quota is None:
        changes["quota"] = None  # given as null: no quota (unlimited), unlike a quota left out
    return await crud.update(session, actor, product, changes)


async def create_pass(session: AsyncSession, actor: Actor, data: inputs.PassCreate) -> Pass:
    if (data.vehicle_id is None) == (data.group_id is None):
        raise DomainError(ErrorCode.INVALID, "give exactly one holder: a vehicle or a group", "vehicleId")
    product = await crud.get(session, PassProduct, data.product_id, "productId")
    if not product.is_active:
        raise DomainError(ErrorCode.INVALID, "pass product is not on sale", "productId")
    lot = await crud.get(session, Lot, product.lot_id, "productId")
    vehicle_id = group_id = None
    if data.vehicle_id is not None:
        vehicle = await crud.get(session, Vehicle, data.vehicle_id, "vehicleId")
        if vehicle.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "vehicle belongs to another lot", "vehicleId")
        vehicle_id = vehicle.id
    else:
        assert data.group_id is not None
        group_id = (await _group_in(session, lot.id, data.group_id)).id
    ends_at = data.ends_at or extend(data.starts_at, product.period, 1, lot.timezone)
    if ends_at <= data.starts_at:
        raise DomainError(ErrorCode.INVALID, "endsAt must be after startsAt", "endsAt")
    pass_ = Pass(
        **_tenant(lot),
        product_id=product.id,
        vehicle_id=vehicle_id,
        group_id=group_id,
        starts_at=data.starts_at,
        ends_at=ends_at,
    )
    return await crud.create(session, actor, pass_)


async def update_pass(session: AsyncSession, actor: Actor, pass_id: str, data: inputs.PassUpdate) -> Pass:
    pass_ = await crud.get(session, Pass, pass_id)
    return await crud.update(session, actor, pass_, crud.changes_of(data))


async def renew_pass(
    session: AsyncSession, actor: Actor, pass_id: str, data: inputs.PassRenew, *, now: datetime
) -> Pass:
    """Extend a pass by whole product periods (续费); a lapsed pass restarts from ``now``."""
    pass_ = await crud.get(session, Pass, pass_id)
    product = await crud.get(session, PassProduct, pass_.product_id, "productId")
    lot = await crud.get(session, Lot, pass_.lot_id, "lotId")
    previous = pass_.ends_at
    new_ends_at = extend(max(previous, now), product.period, data.periods, lot.timezone)
    renewal = PassRenewal(
        **_tenant(lot),
        pass_id=pass_.id,
        at=now,
        periods=data.periods,
        amount_fen=product.price_fen * data.periods,
        method=data.method,
        previous_ends_at=previous,
        new_ends_at=new_ends_at,
        operator_id=actor.operator_id,
    )
    await crud.create(session, actor, renewal)
    logger.info("pass %s renewed by %s periods to %s", pass_.id, data.periods, new_ends_at)
    return await crud.update(session, actor, pass_, {"ends_at": new_ends_at})
