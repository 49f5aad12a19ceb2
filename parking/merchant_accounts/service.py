"""A merchant's operators: created by the lot, or by the merchant's staff with the merchant's invite code.

A merchant operator is a lot-level operator bound to its merchant (``Operator.merchant_id``): its scope is the
merchant's lots narrowed to that merchant's rows, and whatever its role lists it holds only the merchant
permissions (parking.accounts.auth). Its role is the customer's built-in merchant role, made on first use.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.auth import hash_password
from parking.accounts.models import Operator, Role
from parking.accounts.permissions import MERCHANT_PERMISSIONS
from parking.accounts.throttle import LoginPolicy, is_throttled, record_failure
from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import ScopeLevel
from parking.merchant_accounts import inputs
from parking.merchants.models import Merchant
from parking.merchants.texts import MerchantText, text

# Wrong invite codes are counted per client address like wrong passwords, under this name.
INVITE_THROTTLE_KEY = "merchant-invite"


async def merchant_role(session: AsyncSession, merchant: Merchant) -> Role:
    """The customer's built-in merchant role (merchant permissions only), made the first time it is needed."""
    name = text(MerchantText.MERCHANT_ROLE)
    role = await session.scalar(
        select(Role)
        .where(Role.customer_id == merchant.customer_id, Role.scope_level == ScopeLevel.CUSTOMER, Role.name == name)
        .order_by(Role.id)
        .limit(1)
    )
    if role is None:
        role = Role(
            name=name,
            description=text(MerchantText.MERCHANT_ROLE_DESCRIPTION),
            permissions=sorted(MERCHANT_PERMISSIONS),
            scope_level=ScopeLevel.CUSTOMER,
            agent_id=merchant.agent_id,
            customer_id=merchant.customer_id,
        )
        session.add(role)
        await session.flush()
    return role


async def _new_operator(
    session: AsyncSession,
    actor: Actor,
    merchant: Merchant,
    *,
    username: str,
    password: str,
    display_name: str | None,
    phone: str = "",
) -> Operator:
    if not merchant.is_active:
        raise DomainError(ErrorCode.INACTIVE, text(MerchantText.MERCHANT_INACTIVE), "merchantId")
    taken = await session.scalar(select(Operator.id).where(Operator.username == username))
    if taken is not None:
        raise DomainError(ErrorCode.DUPLICATE, "this username is taken", "username")
    role = await merchant_role(session, merchant)
    operator = Operator(
        username=username,
        display_name=display_name or username,
        phone=phone,
        password_hash=hash_password(password),
        role_id=role.id,
        scope_level=ScopeLevel.LOT,
        agent_id=merchant.agent_id,
        customer_id=merchant.customer_id,
        merchant_id=merchant.id,
    )
    return await crud.create(session, actor, operator)


async def create_merchant_operator(
    session: AsyncSession, actor: Actor, data: inputs.MerchantOperatorCreate
) -> Operator:
    """The lot adds an operator for one of its merchants. No grant check beyond seeing the merchant: what the
    operator gets is bounded by the merchant permissions and that merchant's rows."""
    merchant = await crud.get(session, Merchant, data.merchant_id, "merchantId")
    return await _new_operator(
        session,
        actor,
        merchant,
        username=data.username,
        password=data.password,
        display_name=data.display_name,
        phone=data.phone,
    )


async def join(
    session: AsyncSession, data: inputs.MerchantJoin, now: datetime, policy: LoginPolicy, *, ip: str
) -> Operator:
    """Public: the merchant's staff create their own operator with the merchant's invite code.

    Runs in a system scope. A wrong code is counted like a wrong password (per address) and the caller must
    commit that count even though this raises; everything else this writes happens in a savepoint that a
    refusal rolls back, so nothing is created.
    """
    if await is_throttled(session, INVITE_THROTTLE_KEY, ip, now, policy):
        raise DomainError(ErrorCode.RATE_LIMITED, "too many wrong invite codes from this address: try later")
    merchant = await session.scalar(select(Merchant).where(Merchant.invite_code == data.invite_code))
    if merchant is None or not merchant.is_active:
        await record_failure(session, INVITE_THROTTLE_KEY, ip, now, policy)
        raise DomainError(ErrorCode.INVALID, text(MerchantText.INVITE_INVALID), "inviteCode")
    actor = Actor(name="merchant-join", scope=Actor.system().scope, ip=ip)
    async with session.begin_nested():
        return await _new_operator(
            session, actor, merchant, username=data.username, password=data.password, display_name=data.display_name
        )
