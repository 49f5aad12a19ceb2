"""The correction queue: tasks in the operator's scope, open ones by default, oldest first (a queue)."""

from __future__ import annotations

from typing import cast

import strawberry
from sqlalchemy import ColumnElement

from parking.accounts.permissions import Perm
from parking.recognition.models import PlateRecognition, RecognitionStatus
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.recognition.types import CorrectionTaskType


@strawberry.input
class CorrectionTaskFilter:
    lot_id: strawberry.ID | None = None
    status: RecognitionStatus | None = strawberry.field(default=RecognitionStatus.OPEN, description="Open by default.")


@strawberry.type
class RecognitionQuery:
    @strawberry.field(
        extensions=requires(Perm.SESSIONS_CORRECT),
        description=describe(
            "Cloud recognition verdicts; open ones are the cloud seat's queue.", Perm.SESSIONS_CORRECT
        ),
    )
    async def correction_tasks(
        self,
        info: Info,
        filter: CorrectionTaskFilter | None = None,
        direction: SortDirection = SortDirection.ASC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[CorrectionTaskType]:
        f, m = filter or CorrectionTaskFilter(), PlateRecognition
        w: list[ColumnElement[bool]] = []
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal(w, m.status, f.status)
        return cast(Connection[CorrectionTaskType], await list_page(info, m, w, m.created_at, direction, first, after))
