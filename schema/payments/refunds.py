"""Refund mutations: requested with a reason by one operator, approved (and sent) or rejected by another."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.payments.models import Refund
from parking.payments.refunds import approve_refund, reject_refund, request_refund
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.money import Fen
from schema.core.permissions import describe, requires
from schema.payments.context import channels_of
from schema.payments.types import PaymentError, RefundType


@strawberry.type
class RefundSuccess:
    refund: RefundType


RefundResult = Annotated[RefundSuccess | PaymentError, strawberry.union("RefundResult")]


def _ok(refund: Refund) -> RefundSuccess:
    return RefundSuccess(refund=cast(RefundType, refund))


def _error(err: DomainError) -> PaymentError:
    return error_from(err, PaymentError)


@strawberry.type
class RefundsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.REFUNDS_REQUEST),
        description=describe(
            "Ask for a refund of (part of) a paid order, with a reason; more than is still refundable is refused.",
            Perm.REFUNDS_REQUEST,
        ),
    )
    async def refund_request(self, info: Info, order_id: strawberry.ID, amount_fen: Fen, reason: str) -> RefundResult:
        actor = info.context.actor
        assert actor is not None
        try:
            order = parse_id(order_id, "orderId")
            return _ok(await request_refund(info.context.db, actor, order, amount_fen, reason, utcnow()))
        except DomainError as err:
            return _error(err)

    @strawberry.mutation(
        extensions=requires(Perm.REFUNDS_APPROVE),
        description=describe(
            "Approve a requested refund (not one's own) and send it to the order's channel.", Perm.REFUNDS_APPROVE
        ),
    )
    async def refund_approve(self, info: Info, id: strawberry.ID) -> RefundResult:
        actor = info.context.actor
        assert actor is not None
        try:
            refund_id = parse_id(id)
            return _ok(await approve_refund(info.context.db, channels_of(info), actor, refund_id, utcnow()))
        except DomainError as err:
            return _error(err)

    @strawberry.mutation(
        extensions=requires(Perm.REFUNDS_APPROVE),
        description=describe(
            "Reject a requested refund with a reason (1 to 200 characters); its amount is refundable again.",
            Perm.REFUNDS_APPROVE,
        ),
    )
    async def refund_reject(self, info: Info, id: strawberry.ID, reason: str) -> RefundResult:
        actor = info.context.actor
        assert actor is not None
        try:
            return _ok(await reject_refund(info.context.db, actor, parse_id(id), utcnow(), reason))
        except DomainError as err:
            return _error(err)
