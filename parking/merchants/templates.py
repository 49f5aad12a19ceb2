"""Coupon templates: what a lot offers its merchants, with each kind's value checked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parking.common import crud
from parking.common.actor import Actor
from parking.common.errors import DomainError, ErrorCode
from parking.merchants import inputs
from parking.merchants.models import CouponKind, CouponTemplate
from parking.merchants.texts import MerchantText, text
from parking.tenancy.models import Lot

_LAST_MINUTE_OF_DAY = 24 * 60 - 1


def check_value(kind: CouponKind, value: int) -> None:
    """Each kind's ``value`` in its unit: percent paid 1..99, minute of the day 0..1439, minutes or fen > 0,
    and 0 for a full coupon (it has no value to give)."""
    problem: MerchantText | None = None
    match kind:
        case CouponKind.PERCENT if not 1 <= value <= 99:
            problem = MerchantText.TEMPLATE_PERCENT_RANGE
        case CouponKind.UNTIL if not 0 <= value <= _LAST_MINUTE_OF_DAY:
            problem = MerchantText.TEMPLATE_UNTIL_RANGE
        case CouponKind.MINUTES if value <= 0:
            problem = MerchantText.TEMPLATE_MINUTES_POSITIVE
        case CouponKind.AMOUNT if value <= 0:
            problem = MerchantText.TEMPLATE_AMOUNT_POSITIVE
        case CouponKind.FULL if value != 0:
            problem = MerchantText.TEMPLATE_FULL_VALUE_ZERO
        case _:
            pass
    if problem is not None:
        raise DomainError(ErrorCode.INVALID, text(problem), "value")


def check_window(sell_from: datetime | None, sell_until: datetime | None) -> None:
    if sell_from is not None and sell_until is not None and sell_until <= sell_from:
        raise DomainError(ErrorCode.INVALID, text(MerchantText.TEMPLATE_SELL_WINDOW), "sellUntil")


async def create_template(session: AsyncSession, actor: Actor, data: inputs.CouponTemplateCreate) -> CouponTemplate:
    lot = await crud.get(session, Lot, data.lot_id, "lotId")
    check_value(data.kind, data.value)
    check_window(data.sell_from, data.sell_until)
    template = CouponTemplate(
        agent_id=lot.agent_id,
        customer_id=lot.customer_id,
        lot_id=lot.id,
        **data.model_dump(exclude={"lot_id"}),
    )
    return await crud.create(session, actor, template)


async def update_template(
    session: AsyncSession, actor: Actor, template_id: str, data: inputs.CouponTemplateUpdate
) -> CouponTemplate:
    """Change a template; coupons already issued keep the terms they were issued with."""
    template = await crud.get(session, CouponTemplate, template_id)
    changes = crud.changes_of(data)
    check_value(changes.get("kind", template.kind), changes.get("value", template.value))
    check_window(changes.get("sell_from", template.sell_from), changes.get("sell_until", template.sell_until))
    return await crud.update(session, actor, template, changes)
