"""An operator (merchant staff, lot staff) signs in to the mini-program with WeChat alone, once bound.

``bind_wechat`` ties the signed-in operator to the openid of a wx.login() code (exchanged by the caller, see
``parking.drivers.login``); ``operator_for_openid`` is the sign-in. An openid belongs to one operator at most
(unique column): binding one that another operator holds is DUPLICATE, and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parking.accounts.models import Operator
from parking.accounts.texts import AccountText, refuse
from parking.common.actor import Actor
from parking.common.errors import ErrorCode


async def bind_wechat(session: AsyncSession, actor: Actor, openid: str) -> Operator:
    """Bind the actor's operator account to ``openid`` (again: no change); an API key has no operator."""
    if actor.operator_id is None:
        raise refuse(ErrorCode.UNAUTHENTICATED, AccountText.WECHAT_NEEDS_OPERATOR)
    holder = await session.scalar(select(Operator.id).where(Operator.wechat_openid == openid))
    if holder is not None and holder != actor.operator_id:
        raise refuse(ErrorCode.DUPLICATE, AccountText.WECHAT_BOUND_ELSEWHERE, "code")
    try:
        async with session.begin_nested():
            await session.execute(update(Operator).where(Operator.id == actor.operator_id).values(wechat_openid=openid))
    except IntegrityError as err:  # bound concurrently by another operator
        raise refuse(ErrorCode.DUPLICATE, AccountText.WECHAT_BOUND_ELSEWHERE, "code") from err
    operator = await session.get(Operator, actor.operator_id, populate_existing=True)
    if operator is None:
        raise refuse(ErrorCode.UNAUTHENTICATED, AccountText.WECHAT_NEEDS_OPERATOR)
    return operator


async def operator_for_openid(session: AsyncSession, openid: str, now: datetime) -> Operator:
    """The active operator bound to ``openid``, signed in now; INVALID_CREDENTIALS when none is bound."""
    operator = await session.scalar(select(Operator).where(Operator.wechat_openid == openid))
    if operator is None:
        raise refuse(ErrorCode.INVALID_CREDENTIALS, AccountText.WECHAT_NOT_BOUND)
    if not operator.is_active:
        raise refuse(ErrorCode.INACTIVE, AccountText.ACCOUNT_DISABLED)
    operator.last_login_at = now
    return operator
