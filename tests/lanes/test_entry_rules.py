"""Entry rules through the lane flow: repeats and duplicate entries, lists, lot full, attended lanes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from parking.alarms.models import AlarmKind
from parking.common.database import Database
from parking.lanes import texts
from parking.lanes.decisions import Reason
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.tenancy.enums import DuplicateEntryPolicy, LaneMode, VehicleCategory
from tests.lanes.site import T0, build_site

pytestmark = pytest.mark.anyio

PLATE = "京A12345"


async def test_a_second_read_within_the_repeat_window_reuses_the_stay(db: Database) -> None:
    site = await build_site(db)
    first = await site.read("in", PLATE, T0)
    again = await site.read("in2", PLATE, T0 + timedelta(seconds=90))
    assert again.decision.opens
    assert again.decision.reason is Reason.ALREADY_INSIDE
    assert again.session_id == first.session_id
    assert [s.id for s in await site.all_sessions()] == [first.session_id]
    assert await site.occupied() == (1, 1)


async def test_duplicate_entry_closes_the_old_stay_at_zero(db: Database) -> None:
    site = await build_site(db, policy=DuplicateEntryPolicy.CLOSE_AT_ZERO)
    first = await site.read("in", PLATE, T0)
    second = await site.read("in", PLATE, T0 + timedelta(hours=3))
    assert second.decision.opens
    assert second.decision.reason is Reason.WELCOME
    assert second.session_id not in (None, first.session_id)
    old = await site.session(first.session_id or 0)
    assert (old.state, old.fee_due_fen, old.arrears_fen) == (SessionState.EXITED, 0, 0)
    assert old.release_method is ReleaseMethod.FREE
    assert old.exit_at == T0 + timedelta(hours=3)
    assert [s.id for s in await site.open_sessions(PLATE)] == [second.session_id]
    assert await site.occupied() == (1, 1)


async def test_duplicate_entry_flags_the_old_stay_abnormal(db: Database) -> None:
    site = await build_site(db, policy=DuplicateEntryPolicy.FLAG_ABNORMAL)
    first = await site.read("in", PLATE, T0)
    second = await site.read("in", PLATE, T0 + timedelta(hours=3))
    assert second.decision.opens
    old = await site.session(first.session_id or 0)
    assert (old.state, old.fee_due_fen, old.arrears_fen) == (SessionState.ABNORMAL, 0, 0)
    assert [s.id for s in await site.open_sessions(PLATE)] == [second.session_id]
    assert await site.occupied() == (1, 1)


async def test_duplicate_entry_carries_the_old_stay_as_arrears_asked_at_the_next_exit(db: Database) -> None:
    site = await build_site(db, policy=DuplicateEntryPolicy.CARRY_AS_ARREARS)
    first = await site.read("in", PLATE, T0)
    second = await site.read("in", PLATE, T0 + timedelta(hours=3))
    assert second.decision.opens
    old = await site.session(first.session_id or 0)
    # Three hours: six started half hours at 2 元.
    assert (old.state, old.fee_due_fen, old.arrears_fen) == (SessionState.EXITED, 1200, 1200)
    assert await site.occupied() == (1, 1)
    out = await site.read("out", PLATE, T0 + timedelta(hours=3, minutes=10))
    assert not out.decision.opens
    assert out.decision.reason is Reason.FEE_DUE
    assert out.decision.fee_fen == 1200  # ten minutes are free: only the arrears are due
    assert await site.occupied() == (1, 1)


async def test_blacklisted_plate_is_held_with_an_alarm(db: Database) -> None:
    site = await build_site(db)
    await site.add_listing(PLATE, VehicleCategory.BLACKLIST, "stolen")
    held = await site.read("in", PLATE, T0)
    assert not held.decision.opens
    assert held.decision.reason is Reason.BLACKLIST
    assert held.decision.lines[1] == texts.NO_ENTRY
    assert held.session_id is None
    alarms = await site.alarms(AlarmKind.BLACKLIST)
    assert [(a.plate, a.lane_id, a.message) for a in alarms] == [(PLATE, site.ids["in"], "黑名单车辆入场：stolen")]
    assert await site.all_sessions() == []
    assert await site.occupied() == (0, 0)


async def test_exempt_listing_opens_and_never_pays(db: Database) -> None:
    site = await build_site(db)
    await site.add_listing(PLATE, VehicleCategory.EXEMPT)
    entry = await site.read("in", PLATE, T0)
    assert entry.decision.opens
    assert entry.decision.reason is Reason.FREE_LIST
    out = await site.read("out", PLATE, T0 + timedelta(hours=5))
    assert out.decision.opens
    assert out.decision.fee_fen == 0
    assert await site.occupied() == (0, 0)


async def test_full_lot_holds_temporary_cars_but_not_pass_holders(db: Database) -> None:
    site = await build_site(db, capacity=1)
    await site.add_pass("京B00001", T0 - timedelta(days=1), T0 + timedelta(days=30))
    await site.read("in", PLATE, T0)
    held = await site.read("in", "京C00002", T0 + timedelta(minutes=1))
    assert not held.decision.opens
    assert held.decision.reason is Reason.LOT_FULL
    assert held.decision.lines[1] == texts.LOT_FULL
    assert [a.message for a in await site.alarms(AlarmKind.LOT_FULL)] == ["车位已满：临时车在入口等候"]
    holder = await site.read("in", "京B00001", T0 + timedelta(minutes=2))
    assert holder.decision.opens
    assert holder.decision.reason is Reason.PASS_HOLDER
    assert holder.decision.category is VehicleCategory.MONTHLY
    assert sorted(s.plate for s in await site.open_sessions()) == ["京A12345", "京B00001"]
    assert await site.occupied() == (2, 2)


@pytest.mark.parametrize("mode", [LaneMode.ATTENDED, LaneMode.REMOTE])
async def test_attended_and_remote_lanes_hold_for_the_operator(db: Database, mode: LaneMode) -> None:
    site = await build_site(db, mode=mode)
    entry = await site.read("in", PLATE, T0)
    assert not entry.decision.opens
    assert entry.decision.reason is Reason.AWAITING_OPERATOR
    assert entry.decision.lines[-1] == texts.WAIT_FOR_OPERATOR
    assert entry.session_id is None
    assert await site.all_sessions() == []
    assert await site.occupied() == (0, 0)


async def test_attended_exit_holds_even_when_nothing_is_due(db: Database) -> None:
    site = await build_site(db, mode=LaneMode.ATTENDED)
    # The car got in while the lane was offline (the edge let it in): the stay is open.
    await site.read("in", PLATE, T0, offline=True)
    out = await site.read("out", PLATE, T0 + timedelta(minutes=5))
    assert not out.decision.opens
    assert out.decision.reason is Reason.AWAITING_OPERATOR
    assert [s.state for s in await site.all_sessions()] == [SessionState.IN_LOT]
    assert await site.occupied() == (1, 1)
