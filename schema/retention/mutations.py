"""Retention mutations: ``LotRetentionSuccess | RetentionError``, audited; a refused setting writes nothing."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.retention import service
from parking.retention.errors import RetentionErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.tenancy.types import LotType

error_codes(RetentionErrorCode, "a retention")


@strawberry.type
class RetentionError(Error):
    code: RetentionErrorCode
    message: str
    field: str | None = None


@strawberry.input(description="Days a lot keeps its pictures and its records; a field left out keeps its value.")
class LotRetentionInput:
    image_days: int | None = None
    record_days: int | None = None


@strawberry.type
class LotRetentionSuccess:
    lot: LotType


LotRetentionResult = Annotated[LotRetentionSuccess | RetentionError, strawberry.union("LotRetentionResult")]


@strawberry.type
class RetentionMutation:
    @strawberry.mutation(
        extensions=requires(Perm.LOTS_MANAGE),
        description=describe(
            "Change how many days a lot keeps its pictures (at least 30) and records (at least 365); a value "
            "below the minimum changes nothing.",
            Perm.LOTS_MANAGE,
        ),
    )
    async def lot_retention_update(
        self, info: Info, lot_id: strawberry.ID, input: LotRetentionInput
    ) -> LotRetentionResult:
        return await run(
            info,
            lambda s, a: service.update_retention(s, a, lot_id, input.image_days, input.record_days),
            RetentionError,
            lambda row: LotRetentionSuccess(lot=cast(LotType, row)),
        )
