"""Payment mutations: a driver starts a payment for a stay (no login: a stay token from a lane's QR code, or a
lane's code and the typed plate); an operator records cash or pays a stay from its owner's wallet."""

from __future__ import annotations

from typing import cast

import strawberry
from strawberry.scalars import JSON

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.common.db import utcnow
from parking.common.errors import DomainError, ErrorCode
from parking.common.scope import Scope
from parking.payments import texts
from parking.payments.anonymous import read_stay_token
from parking.payments.models import PaymentChannel
from parking.payments.service import StayRef, record_cash, start_payment
from parking.payments.wallet import pay_from_wallet
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.money import Fen
from schema.core.permissions import describe, requires
from schema.payments.context import channels_of
from schema.payments.limits import within_limit
from schema.payments.passes import PassSalesMutation
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


@strawberry.input(
    description="Which stay to pay for and how. Without a login: stayToken (from scanning a lane's QR code), or "
    "laneCode (any lane's QR code of the lot) and the plate. Logged-in operators may also give sessionId, or "
    "lotId and the plate."
)
class PaymentCreateInput:
    channel: PaymentChannel
    stay_token: str | None = strawberry.field(
        default=None, description="The signed stay token of a lane's waiting answer or a driver's scan."
    )
    lane_code: str | None = strawberry.field(default=None, description="A lane's QR code token, with the plate.")
    session_id: strawberry.ID | None = strawberry.field(default=None, description="Operators only.")
    lot_id: strawberry.ID | None = strawberry.field(default=None, description="Operators only, with the plate.")
    plate: str | None = None
    payer_id: str | None = strawberry.field(
        default=None, description="The payer's openid (WeChat JSAPI) or buyer id (Alipay mini-program)."
    )
    on_behalf: bool = strawberry.field(
        default=False,
        description="The payer pays for someone else's car (代缴). Also recorded without it when the payer is not "
        "known as the plate's driver (no stay token, and this payer never paid the plate as its driver).",
    )
    payer_note: str | None = strawberry.field(
        default=None, description="The payer's note for the driver or the lot (代缴: who paid and why); 100 characters."
    )


def _ref(input: PaymentCreateInput) -> StayRef:
    if input.session_id is not None:
        return StayRef(session_id=parse_id(input.session_id, "sessionId"))
    lot_id = parse_id(input.lot_id, "lotId") if input.lot_id is not None else None
    return StayRef(lot_id=lot_id, plate=input.plate)


def _token_ref(info: Info, input: PaymentCreateInput) -> StayRef | None:
    """The stay named by an unguessable token (a signed stay token, or a lane's code and the plate)."""
    if input.stay_token is not None:
        session_id = read_stay_token(info.context.secret_key, input.stay_token[:512], utcnow())
        if session_id is None:
            raise DomainError(ErrorCode.INVALID, texts.STAY_TOKEN_INVALID, "stayToken")
        return StayRef(session_id=session_id, at_the_car=True)
    if input.lane_code is not None:
        return StayRef(lane_code=input.lane_code[:64], plate=input.plate)
    return None


def _anonymous_ref(info: Info, input: PaymentCreateInput) -> StayRef:
    """A caller without a login names the stay by a token, never by a sequential id."""
    if input.session_id is not None or input.lot_id is not None:
        field = "sessionId" if input.session_id is not None else "lotId"
        raise DomainError(ErrorCode.PERMISSION_DENIED, texts.ANONYMOUS_NEEDS_TOKEN, field)
    ref = _token_ref(info, input)
    if ref is None:
        raise DomainError(ErrorCode.INVALID, texts.ANONYMOUS_NEEDS_TOKEN, "stayToken")
    return ref


@strawberry.type
class PaymentsMutation(RefundsMutation, PassSalesMutation):
    @strawberry.mutation(
        description="Start paying what a stay owes now (or, for a plate named with its lot or a lane code and no car "
        "inside, its arrears of earlier stays): returns the JSAPI parameters or the QR code. Asking "
        "again (same channel, payer and amount) returns the same open order; another request never closes it "
        "but gets an order of its own (if both are paid, the second is refunded as a double payment). Open to "
        "drivers (no login, by stay token or lane code and plate; RATE_LIMITED after too many requests from "
        "one address)."
    )
    async def payment_create(self, info: Info, input: PaymentCreateInput) -> PaymentCreateResult:
        actor = info.context.actor
        try:
            if actor is None:
                # Counted before anything is read or made: a flood from one address creates nothing.
                if not await within_limit(info):
                    raise DomainError(ErrorCode.RATE_LIMITED, texts.RATE_LIMITED)
                ref, scope = _anonymous_ref(info, input), Scope.internal()
            else:
                ref, scope = _token_ref(info, input) or _ref(input), actor.scope
            started = await start_payment(
                info.context.db,
                channels_of(info),
                scope,
                ref,
                input.channel,
                utcnow(),
                payer_id=input.payer_id,
                on_behalf=input.on_behalf,
                note=(input.payer_note or "")[:400],
            )
        except DomainError as err:
            return error_from(err, PaymentError)
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
            return error_from(err, PaymentError)
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
            return error_from(err, PaymentError)
        return PaymentWalletSuccess(
            order=order_type(paid.order),
            balance_fen=Fen(paid.balance_fen),
            reused=paid.reused,
            gate_opened=paid.applied.gate_command_id is not None,
        )
