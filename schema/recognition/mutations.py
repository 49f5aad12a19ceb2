"""Resolving a correction task: the chosen plate fixes the stay and the task becomes labelled data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.recognition import service
from parking.recognition.errors import RecognitionErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.recognition.types import CorrectionTaskType

error_codes(RecognitionErrorCode, "a recognition")


@strawberry.type
class RecognitionError(Error):
    code: RecognitionErrorCode
    message: str
    field: str | None = None


@strawberry.type
class CorrectionTaskSuccess:
    task: CorrectionTaskType


CorrectionTaskResult = Annotated[CorrectionTaskSuccess | RecognitionError, strawberry.union("CorrectionTaskResult")]


def _task(row: object) -> CorrectionTaskSuccess:
    return CorrectionTaskSuccess(task=cast(CorrectionTaskType, row))


@strawberry.type
class RecognitionMutation:
    @strawberry.mutation(
        extensions=requires(Perm.SESSIONS_CORRECT),
        description=describe(
            "Resolve a correction task with the right plate: fixes the stay (inside or already left).",
            Perm.SESSIONS_CORRECT,
        ),
    )
    async def correction_task_resolve(self, info: Info, id: strawberry.ID, plate: str) -> CorrectionTaskResult:
        return await run(
            info, lambda s, a: service.resolve(s, a, id, plate, now=datetime.now(UTC)), RecognitionError, _task
        )
