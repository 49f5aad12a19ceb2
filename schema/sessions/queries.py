"""Session queries: read-only scoped lists of stays and lane events, newest first by default."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from sqlalchemy import or_

from parking.accounts.permissions import Perm
from parking.common.crud import parse_id
from parking.sessions.enums import EventKind, ReleaseMethod, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from schema.core import filters as flt
from schema.core.context import Info
from schema.core.listing import list_page
from schema.core.pagination import Connection, SortDirection
from schema.core.permissions import describe, requires
from schema.sessions.types import LaneEventType, ParkingSessionType

DESC = SortDirection.DESC


@strawberry.input
class ParkingSessionFilter:
    lot_id: strawberry.ID | None = None
    plate: str | None = strawberry.field(default=None, description="A plate or part of one.")
    state: SessionState | None = None
    entry_from: datetime | None = None
    entry_to: datetime | None = None
    inside: bool | None = strawberry.field(default=None, description="True: still inside; false: left.")
    release_method: ReleaseMethod | None = None
    lane_id: strawberry.ID | None = strawberry.field(default=None, description="Entered or left by this lane.")
    area_id: strawberry.ID | None = None
    inner: bool | None = strawberry.field(
        default=None, description="True: inner-lot (内场) stays only; false: outer stays only."
    )
    exit_from: datetime | None = None
    exit_to: datetime | None = None


@strawberry.input
class LaneEventFilter:
    lot_id: strawberry.ID | None = None
    lane_id: strawberry.ID | None = None
    kind: EventKind | None = None
    plate: str | None = None
    at_from: datetime | None = None
    at_to: datetime | None = None
    session_id: strawberry.ID | None = strawberry.field(default=None, description="The readings of one stay.")


@strawberry.type
class SessionsQuery:
    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW), description=describe("Parking sessions (停车记录).", Perm.RECORDS_VIEW)
    )
    async def parking_sessions(
        self,
        info: Info,
        filter: ParkingSessionFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[ParkingSessionType]:
        f, m, w = filter or ParkingSessionFilter(), ParkingSession, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.plate(w, m.plate, f.plate)
        flt.equal(w, m.state, f.state)
        flt.between(w, m.entry_at, f.entry_from, f.entry_to, "entry")
        if f.inside is not None:
            w.append(m.exit_at.is_(None) if f.inside else m.exit_at.is_not(None))
        flt.equal(w, m.release_method, f.release_method)
        if f.lane_id is not None:
            lane = parse_id(f.lane_id, "laneId")
            w.append(or_(m.entry_lane_id == lane, m.exit_lane_id == lane))
        flt.equal_id(w, m.area_id, f.area_id, "areaId")
        if f.inner is not None:
            w.append(m.parent_id.is_not(None) if f.inner else m.parent_id.is_(None))
        flt.between(w, m.exit_at, f.exit_from, f.exit_to, "exit")
        return cast(Connection[ParkingSessionType], await list_page(info, m, w, m.entry_at, direction, first, after))

    @strawberry.field(
        extensions=requires(Perm.RECORDS_VIEW), description=describe("Lane events (过车记录).", Perm.RECORDS_VIEW)
    )
    async def lane_events(
        self,
        info: Info,
        filter: LaneEventFilter | None = None,
        direction: SortDirection = DESC,
        first: int = 50,
        after: str | None = None,
    ) -> Connection[LaneEventType]:
        f, m, w = filter or LaneEventFilter(), LaneEvent, flt.where()
        flt.equal_id(w, m.lot_id, f.lot_id, "lotId")
        flt.equal_id(w, m.lane_id, f.lane_id, "laneId")
        flt.equal(w, m.kind, f.kind)
        flt.plate(w, m.plate, f.plate)
        flt.between(w, m.at, f.at_from, f.at_to, "at")
        flt.equal_id(w, m.session_id, f.session_id, "sessionId")
        return cast(Connection[LaneEventType], await list_page(info, m, w, m.at, direction, first, after))
