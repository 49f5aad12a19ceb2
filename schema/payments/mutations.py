"""Payment mutations: a driver starts a payment for a stay (no login: the lot's code and a plate suffice);
an operator records cash or pays a stay from its owner's wallet."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.payments.models import PaymentChannel
from parking.payments.service import StayRef, record_cash, start_payment
from parking.payments.wallet import pay_from_wallet
from schema.core.context import Info
from schema.core.money import Fen
from schema.core.permissions import describe, requires
from schema.payments.context import channels_of
from schema.payments.refunds import RefundsMutation
from schema.payments.types import (
    PaymentCashResult,
    PaymentCashSuccess,
    PaymentCreateResult,
    PaymentCreateSuccess,
    PaymentError,
    PaymentWalletResult,
    PaymentWalletSuccess,
    order_type,
)


@strawberry.input(description="Which stay to pay for (its id, or the lot and the plate) and how.")
class PaymentCreateInput:
    channel: PaymentChannel
    session_id: strawberry.ID | None = None
    lot_id: strawberry.ID | None = None
    plate: str | None = None
    payer_id: str | None = strawberry.field(
        default=None, description="The payer's openid (WeChat JSAPI) or buyer id (Alipay mini-program)."
    )


def _ref(input: PaymentCreateInput) -> StayRef:
    if input.session_id is not None:
        return StayRef(session_id=parse_id(input.session_id, "sessionId"))
    lot_id = parse_id(input.lot_id, "lotId") if input.lot_id is not None else None
    return StayRef(lot_id=lot_id, plate=input.plate)


@strawberry.type
class PaymentsMutation(RefundsMutation):
    @strawberry.mutation(
        description="Start paying what a stay owes now: returns the JSAPI parameters or the QR code. Asking "
        "again returns the same open order while the amount is unchanged. Open to drivers (no login)."
    )
    async def payment_create(self, info: Info, input: PaymentCreateInput) -> PaymentCreateResult:
        try:
            started = await start_payment(
                info.context.db,
                channels_of(info),
                # Drivers are not operators: the stay is found by id or by lot and plate, whoever asks.
                Scope.internal(),
                _ref(input),
                input.channel,
                utcnow(),
                payer_id=input.payer_id,
            )
        except DomainError as err:
            return PaymentError(code=err.code, message=err.message, field=err.field)
        return PaymentCreateSuccess(
            order=order_type(started.order),
            client_params=cast(JSON, started.client_params),
            qr_code=started.qr_code,
            reused=started.reused,
        )

    @strawberry.mutation(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "Record cash taken for exactly what a stay owes; a car waiting at an exit is let out.", Perm.CASH_COLLECT
        ),
    )
    async def payment_record_cash(self, info: Info, session_id: strawberry.ID, amount_fen: Fen) -> PaymentCashResult:
        actor = info.context.actor
        assert actor is not None, "permission extensions run before resolvers"
        try:
            result = await record_cash(
                info.context.db,
                channels_of(info),
                actor.scope,
                parse_id(session_id, "sessionId"),
                amount_fen,
                actor.operator_id,
                utcnow(),
                actor=actor,
            )
        except DomainError as err:
            return PaymentError(code=err.code, message=err.message, field=err.field)
        return PaymentCashSuccess(
            order=order_type(result.order), gate_opened=result.applied.gate_command_id is not None
        )

    @strawberry.mutation(
        extensions=requires(Perm.CASH_COLLECT),
        description=describe(
            "Pay what a stay owes from its car's owner's wallet (never below zero); a car waiting at an exit is "
            "let out. The same requestKey again returns the first payment and debits nothing.",
            Perm.CASH_COLLECT,
        ),
    )
    async def payment_pay_from_wallet(
        self,
        info: Info,
        request_key: str,
        session_id: strawberry.ID | None = None,
        lot_id: strawberry.ID | None = None,
        plate: str | None = None,
    ) -> PaymentWalletResult:
        actor = info.context.actor
        assert actor is not None, "permission extensions run before resolvers"
        ref = _ref(PaymentCreateInput(channel=PaymentChannel.WALLET, session_id=session_id, lot_id=lot_id, plate=plate))
        try:
            paid = await pay_from_wallet(
                info.context.db,
                channels_of(info),
                actor.scope,
                ref,
                request_key,
                utcnow(),
                operator_id=actor.operator_id,
                actor=actor,
            )
        except DomainError as err:
            return PaymentError(code=err.code, message=err.message, field=err.field)
        return PaymentWalletSuccess(
            order=order_type(paid.order),
            balance_fen=Fen(paid.balance_fen),
            reused=paid.reused,
            gate_opened=paid.applied.gate_command_id is not None,
        )
