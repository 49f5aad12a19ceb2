"""Cloud-seat alarm mutations: ``AlarmSuccess | AlarmError``, audited, published to the lot's alarm topic."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.alarms import handling
from parking.alarms.errors import AlarmErrorCode
from parking.common.db import utcnow
from schema.alarms.types import AlarmType
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires

error_codes(AlarmErrorCode, "an alarm")


@strawberry.type
class AlarmError(Error):
    code: AlarmErrorCode
    message: str
    field: str | None = None


@strawberry.type
class AlarmSuccess:
    alarm: AlarmType


AlarmResult = Annotated[AlarmSuccess | AlarmError, strawberry.union("AlarmResult")]


def _success(row: object) -> AlarmSuccess:
    return AlarmSuccess(alarm=cast(AlarmType, row))


@strawberry.type
class AlarmsMutation:
    @strawberry.mutation(
        extensions=requires(Perm.ALARMS_HANDLE),
        description=describe(
            "Acknowledge an alarm: someone at the cloud seat is on it. CONFLICT once it is resolved.",
            Perm.ALARMS_HANDLE,
        ),
    )
    async def alarm_acknowledge(self, info: Info, id: strawberry.ID) -> AlarmResult:
        return await run(info, lambda s, a: handling.acknowledge_alarm(s, a, id, now=utcnow()), AlarmError, _success)

    @strawberry.mutation(
        extensions=requires(Perm.ALARMS_HANDLE),
        description=describe(
            "Resolve an alarm, saying what was done (1-200 characters). CONFLICT if it is already resolved.",
            Perm.ALARMS_HANDLE,
        ),
    )
    async def alarm_resolve(self, info: Info, id: strawberry.ID, resolution: str) -> AlarmResult:
        return await run(
            info,
            lambda s, a: handling.resolve_alarm(s, a, id, resolution, now=utcnow()),
            AlarmError,
            _success,
        )
