"""Tenancy use-cases: create and change agents, customers, lots, areas and lanes within scope."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.audit import record
from parking.common.errors import DomainError, ErrorCode, NotFound
from parking.common.scope import ScopeLevel
from parking.tenancy import inputs
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Agent, Area, Customer, Lane, Lot
from parking.tenancy.payment_settings import LotPaymentSettings, LotPaymentSettingsChange


def require_level(actor: Actor, *levels: ScopeLevel) -> None:
    # Creating a tenant is a matter of scope as well as permission: a customer never creates customers.
    if actor.scope.level not in levels:
        raise DomainError(ErrorCode.PERMISSION_DENIED, "outside your scope")


async def create_agent(session: AsyncSession, actor: Actor, data: inputs.AgentCreate) -> Agent:
    require_level(actor, ScopeLevel.PLATFORM)
    agent = Agent(name=data.name, contact_name=data.contact_name or "", phone=data.phone)
    return await crud.create(session, actor, agent)


async def update_agent(session: AsyncSession, actor: Actor, agent_id: str, data: inputs.AgentUpdate) -> Agent:
    require_level(actor, ScopeLevel.PLATFORM, ScopeLevel.AGENT)
    agent = await crud.get(session, Agent, agent_id)
    return await crud.update(session, actor, agent, crud.changes_of(data))


async def create_customer(session: AsyncSession, actor: Actor, data: inputs.CustomerCreate) -> Customer:
    require_level(actor, ScopeLevel.PLATFORM, ScopeLevel.AGENT)
    agent = await crud.get(session, Agent, data.agent_id, "agentId")
    customer = Customer(agent_id=agent.id, name=data.name, contact_name=data.contact_name or "", phone=data.phone)
    return await crud.create(session, actor, customer)


async def update_customer(
    session: AsyncSession, actor: Actor, customer_id: str, data: inputs.CustomerUpdate
) -> Customer:
    require_level(actor, ScopeLevel.PLATFORM, ScopeLevel.AGENT, ScopeLevel.CUSTOMER)
    customer = await crud.get(session, Customer, customer_id)
    return await crud.update(session, actor, customer, crud.changes_of(data))


def new_lot_code() -> str:
    return "L" + secrets.token_hex(5).upper()


async def create_lot(session: AsyncSession, actor: Actor, data: inputs.LotCreate) -> Lot:
    require_level(actor, ScopeLevel.PLATFORM, ScopeLevel.AGENT, ScopeLevel.CUSTOMER)
    customer = await crud.get(session, Customer, data.customer_id, "customerId")
    lot = Lot(
        agent_id=customer.agent_id,
        customer_id=customer.id,
        code=new_lot_code(),
        **data.model_dump(exclude={"customer_id"}),
    )
    return await crud.create(session, actor, lot)


async def update_lot(session: AsyncSession, actor: Actor, lot_id: str, data: inputs.LotUpdate) -> Lot:
    lot = await crud.get(session, Lot, lot_id)
    changes = crud.changes_of(data)
    if "capacity" in changes:
        areas_total = sum(
            await session.scalars(select(Area.capacity).where(Area.lot_id == lot.id, Area.parent_id.is_(None)))
        )
        if changes["capacity"] < areas_total:
            raise DomainError(ErrorCode.INVALID, "capacity below the sum of the lot's areas", "capacity")
    return await crud.update(session, actor, lot, changes)


async def update_payment_settings(
    session: AsyncSession, actor: Actor, lot_id: str, change: LotPaymentSettingsChange
) -> Lot:
    """Apply a change to the lot's payment settings; a result that breaks a rule raises and writes nothing."""
    # The row lock makes two concurrent changes of different keys both land (read, merge and write under it).
    lot = await session.get(Lot, crud.parse_id(lot_id, "lotId"), with_for_update=True, populate_existing=True)
    if lot is None:
        raise NotFound("Lot", "lotId")
    before = dict(lot.payment_settings or {})
    settings = change.applied_to(LotPaymentSettings.of(before))
    lot.payment_settings = settings.stored(before)
    await session.flush()
    record(
        session,
        actor,
        "lot.payment_settings_update",
        "lot",
        entity_id=lot.id,
        before={"payment_settings": before},
        after={"payment_settings": lot.payment_settings},
        tenant=lot,
    )
    return lot


async def create_area(session: AsyncSession, actor: Actor, data: inputs.AreaCreate) -> Area:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    parent_id = None
    limit = lot.capacity
    if data.parent_id is not None:
        parent = await crud.get(session, Area, data.parent_id, "parentId")
        if parent.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "parent area belongs to another lot", "parentId")
        parent_id, limit = parent.id, parent.capacity
    if data.capacity > limit:
        raise DomainError(ErrorCode.INVALID, "area capacity exceeds its lot or parent area", "capacity")
    area = Area(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        parent_id=parent_id,
        name=data.name,
        capacity=data.capacity,
        is_inner=data.is_inner,
    )
    return await crud.create(session, actor, area)


async def update_area(session: AsyncSession, actor: Actor, area_id: str, data: inputs.AreaUpdate) -> Area:
    area = await crud.get(session, Area, area_id)
    return await crud.update(session, actor, area, crud.changes_of(data))


async def create_lane(session: AsyncSession, actor: Actor, data: inputs.LaneCreate) -> Lane:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    area_id = None
    if data.area_id is not None:
        area = await crud.get(session, Area, data.area_id, "areaId")
        if area.lot_id != lot.id:
            raise DomainError(ErrorCode.INVALID, "area belongs to another lot", "areaId")
        area_id = area.id
    categories = data.allowed_categories
    if categories is None:
        categories = [c for c in VehicleCategory if c is not VehicleCategory.BLACKLIST]
    lane = Lane(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        area_id=area_id,
        name=data.name,
        direction=data.direction,
        mode=data.mode,
        allowed_categories=[c.value for c in categories],
        booth=data.booth,
        qr_token=secrets.token_urlsafe(24),
    )
    return await crud.create(session, actor, lane)


async def update_lane(session: AsyncSession, actor: Actor, lane_id: str, data: inputs.LaneUpdate) -> Lane:
    lane = await crud.get(session, Lane, lane_id)
    changes = crud.changes_of(data)
    if "allowed_categories" in changes:
        changes["allowed_categories"] = [c.value for c in changes["allowed_categories"]]
    return await crud.update(session, actor, lane, changes)


async def rotate_lane_qr(session: AsyncSession, actor: Actor, lane_id: str) -> Lane:
    lane = await crud.get(session, Lane, lane_id)
    return await crud.update(session, actor, lane, {"qr_token": secrets.token_urlsafe(24)})


async def delete_lane(session: AsyncSession, actor: Actor, lane_id: str) -> int:
    return await crud.delete(session, actor, await crud.get(session, Lane, lane_id))


async def visible_lot_ids(session: AsyncSession, limit: int) -> list[int]:
    """The ids of the lots the session's scope can see, lowest first, at most ``limit``."""
    return list(await session.scalars(select(Lot.id).order_by(Lot.id).limit(limit)))


async def visible_lots_among(session: AsyncSession, lot_ids: list[int]) -> set[int]:
    """Those of ``lot_ids`` that exist and that the session's scope can see."""
    return set(await session.scalars(select(Lot.id).where(Lot.id.in_(lot_ids))))


async def lots_of_lanes(session: AsyncSession, lane_ids: list[int]) -> dict[int, int]:
    """Lane id to lot id, for those of ``lane_ids`` that exist and that the session's scope can see."""
    rows = (await session.execute(select(Lane.id, Lane.lot_id).where(Lane.id.in_(lane_ids)))).all()
    return {int(lane_id): int(lot_id) for lane_id, lot_id in rows}
