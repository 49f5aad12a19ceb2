"""Merchant mutations: ``Merchant...Success | MerchantError``, audited.

Lot side: ``merchants.manage``. A merchant's own operators reach the coupon mutations with ``coupons.issue`` or
``coupons.buy``, for their merchant only (their scope hides every other merchant's rows).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, cast

import strawberry
from pydantic import ValidationError

from parking.accounts.permissions import Perm
from parking.accounts.throttle import LoginPolicy
from parking.common.db import utcnow
from parking.common.errors import DomainError
from parking.common.scope import Scope
from parking.merchant_accounts import service as merchant_accounts
from parking.merchants import ledger
from parking.merchants import service as merchants
from parking.merchants.models import MerchantLedgerEntry
from schema.accounts.types import OperatorType
from schema.core.context import Info
from schema.core.errors import error_from
from schema.core.mutations import run, validation_error
from schema.core.permissions import describe, requires
from schema.merchants import inputs
from schema.merchants.coupon_mutations import CouponsMutation
from schema.merchants.errors import MerchantError
from schema.merchants.types import MerchantLedgerEntryType, MerchantType


@strawberry.type
class MerchantSuccess:
    merchant: MerchantType


@strawberry.type
class MerchantOperatorSuccess:
    operator: OperatorType


@strawberry.type
class MerchantLedgerSuccess:
    entry: MerchantLedgerEntryType


MerchantResult = Annotated[MerchantSuccess | MerchantError, strawberry.union("MerchantResult")]
MerchantOperatorResult = Annotated[MerchantOperatorSuccess | MerchantError, strawberry.union("MerchantOperatorResult")]
MerchantLedgerResult = Annotated[MerchantLedgerSuccess | MerchantError, strawberry.union("MerchantLedgerResult")]


def _merchant(row: object) -> MerchantSuccess:
    return MerchantSuccess(merchant=cast(MerchantType, row))


def _operator(row: object) -> MerchantOperatorSuccess:
    return MerchantOperatorSuccess(operator=cast(OperatorType, row))


def _entry(row: MerchantLedgerEntry) -> MerchantLedgerSuccess:
    return MerchantLedgerSuccess(entry=cast(MerchantLedgerEntryType, row))


@strawberry.type
class MerchantsMutation(CouponsMutation):
    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Register a merchant (lotIds: other lots of the same customer where its coupons count).",
            Perm.MERCHANTS_MANAGE,
        ),
    )
    async def merchant_create(self, info: Info, input: inputs.MerchantCreateInput) -> MerchantResult:
        return await run(
            info, lambda s, a: merchants.create_merchant(s, a, input.to_pydantic()), MerchantError, _merchant
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe("Change a merchant (lotIds, when given, replaces its other lots).", Perm.MERCHANTS_MANAGE),
    )
    async def merchant_update(self, info: Info, id: strawberry.ID, input: inputs.MerchantUpdateInput) -> MerchantResult:
        return await run(
            info, lambda s, a: merchants.update_merchant(s, a, id, input.to_pydantic()), MerchantError, _merchant
        )

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "A new invite code for the merchant: the old one stops working (joined operators stay).",
            Perm.MERCHANTS_MANAGE,
        ),
    )
    async def merchant_invite_rotate(self, info: Info, id: strawberry.ID) -> MerchantResult:
        return await run(info, lambda s, a: merchants.rotate_invite(s, a, id), MerchantError, _merchant)

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Create an operator for a merchant: it signs in with login and acts for that merchant only.",
            Perm.MERCHANTS_MANAGE,
        ),
    )
    async def merchant_operator_create(
        self, info: Info, input: inputs.MerchantOperatorCreateInput
    ) -> MerchantOperatorResult:
        return await run(
            info,
            lambda s, a: merchant_accounts.create_merchant_operator(s, a, input.to_pydantic()),
            MerchantError,
            _operator,
        )

    @strawberry.mutation(
        description="Public: a merchant's staff create their operator with the merchant's invite code, then sign in "
        "with login. Wrong codes are counted per address like wrong passwords (RATE_LIMITED after too many)."
    )
    async def merchant_join(self, info: Info, input: inputs.MerchantJoinInput) -> MerchantOperatorResult:
        ctx = info.context
        now = utcnow()
        policy = LoginPolicy(
            ctx.login_max_failures, timedelta(seconds=ctx.login_lock_s), ctx.login_max_address_failures
        )
        try:
            data = input.to_pydantic()
        except ValidationError as err:  # bad input: nothing read or written
            return cast(MerchantOperatorResult, validation_error(err, MerchantError))
        # The count of a wrong code must be committed even though the join is refused.
        async with ctx.db.transaction(Scope.internal()) as session:
            try:
                operator = await merchant_accounts.join(session, data, now, policy, ip=ctx.client_ip)
            except DomainError as err:
                refused = error_from(err, MerchantError)
            else:
                return _operator(operator)
        return refused

    @strawberry.mutation(
        extensions=requires(Perm.MERCHANTS_MANAGE),
        description=describe(
            "Record money received from a merchant (a TOP_UP entry on its statement).", Perm.MERCHANTS_MANAGE
        ),
    )
    async def merchant_top_up(self, info: Info, input: inputs.MerchantTopUpInput) -> MerchantLedgerResult:
        return await run(info, lambda s, a: ledger.top_up(s, a, input.to_pydantic()), MerchantError, _entry)
