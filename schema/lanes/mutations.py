"""Cloud-seat mutations: ``GateCommandSuccess | LaneError`` and ``SessionSuccess | LaneError``, audited."""

from __future__ import annotations

from typing import Annotated, cast

import strawberry

from parking.accounts.permissions import Perm
from parking.common.db import utcnow
from parking.lanes import seat
from parking.lanes.errors import LaneErrorCode
from schema.core.context import Info
from schema.core.errors import Error, error_codes
from schema.core.mutations import run
from schema.core.permissions import describe, requires
from schema.devices.types import GateCommandType
from schema.sessions.types import ParkingSessionType

error_codes(LaneErrorCode, "a lane")


@strawberry.type
class LaneError(Error):
    code: LaneErrorCode
    message: str
    field: str | None = None


@strawberry.type
class GateCommandSuccess:
    command: GateCommandType


@strawberry.type
class SessionSuccess:
    session: ParkingSessionType


GateCommandResult = Annotated[GateCommandSuccess | LaneError, strawberry.union("GateCommandResult")]
SessionResult = Annotated[SessionSuccess | LaneError, strawberry.union("SessionResult")]


def _command(row: object) -> GateCommandSuccess:
    return GateCommandSuccess(command=cast(GateCommandType, row))


def _session(row: object) -> SessionSuccess:
    return SessionSuccess(session=cast(ParkingSessionType, row))


@strawberry.type
class LanesMutation:
    @strawberry.mutation(
        extensions=requires(Perm.GATE_REMOTE_OPEN),
        description=describe(
            "Open a lane's barrier for the car at it now, with a reason. The command is void after 30 s or as "
            "soon as another car is read at the lane; a held exit is closed and what it owed becomes arrears.",
            Perm.GATE_REMOTE_OPEN,
        ),
    )
    async def lane_remote_open(self, info: Info, lane_id: strawberry.ID, reason: str) -> GateCommandResult:
        return await run(info, lambda s, a: seat.remote_open(s, a, lane_id, reason, utcnow()), LaneError, _command)

    @strawberry.mutation(
        extensions=requires(Perm.SESSIONS_CORRECT),
        description=describe("Correct a stay's misread plate, with a reason.", Perm.SESSIONS_CORRECT),
    )
    async def session_correct_plate(
        self, info: Info, session_id: strawberry.ID, plate: str, reason: str
    ) -> SessionResult:
        return await run(info, lambda s, a: seat.correct_plate(s, a, session_id, plate, reason), LaneError, _session)

    @strawberry.mutation(
        extensions=requires(Perm.SESSIONS_CORRECT),
        description=describe(
            "Pick the open stay an exit without entry belongs to (one of the fuzzy-match candidates).",
            Perm.SESSIONS_CORRECT,
        ),
    )
    async def exit_match_session(self, info: Info, event_id: strawberry.ID, session_id: strawberry.ID) -> SessionResult:
        return await run(info, lambda s, a: seat.match_exit(s, a, event_id, session_id, utcnow()), LaneError, _session)

    @strawberry.mutation(
        extensions=requires(Perm.FEES_WAIVE),
        description=describe(
            "Waive what an open stay owes for parking, with a reason; a car waiting at the exit is let out.",
            Perm.FEES_WAIVE,
        ),
    )
    async def session_waive_fee(self, info: Info, session_id: strawberry.ID, reason: str) -> SessionResult:
        return await run(info, lambda s, a: seat.waive_fee(s, a, session_id, reason, utcnow()), LaneError, _session)
