"""Exit rules through the lane flow: exit without entry, passes, prepayment, no-plate cars, arrears."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from parking.alarms.models import AlarmKind
from parking.common.database import Database
from parking.lanes import texts
from parking.lanes.decisions import Reason
from parking.plates import NO_PLATE, PlateColor
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.tenancy.enums import VehicleCategory
from tests.lanes.site import T0, build_site

pytestmark = pytest.mark.anyio

PLATE = "京A12345"


@pytest.mark.parametrize(
    ("parked", "read"),
    [
        ("京A12340", "京A1234D"),  # 0 read as D
        ("京A1234D", "京A12340"),  # D read as 0
        ("京A88888", "京AB8888"),  # 8 read as B
        ("粤BD12345", "粤BD1234"),  # a 7-character camera template cut a new-energy plate's 8th character
    ],
)
async def test_exit_without_entry_offers_fuzzy_candidates_and_a_fallback_fee(
    db: Database, parked: str, read: str
) -> None:
    site = await build_site(db)
    entry = await site.read("in", parked, T0)
    await site.read("in", "沪C99999", T0)  # an unrelated car inside
    held = await site.read("out", read, T0 + timedelta(hours=1))
    decision = held.decision
    assert not decision.opens
    assert decision.reason is Reason.EXIT_WITHOUT_ENTRY
    assert decision.candidates == (parked,)
    assert decision.fee_fen == 2000  # the lot's no_entry_fee_fen
    assert decision.lines[1:] == (texts.NO_ENTRY_RECORD, "请缴费20.00元")
    alarms = await site.alarms(AlarmKind.EXIT_WITHOUT_ENTRY)
    assert [(a.plate, a.details["candidates"]) for a in alarms] == [(read, [parked])]
    # Nothing else changed: the parked car's stay is still open, occupancy unchanged.
    stay = await site.session(entry.session_id or 0)
    assert stay.state is SessionState.IN_LOT
    assert await site.occupied() == (2, 2)


async def test_a_reading_that_is_no_plate_holds_as_no_plate_and_offers_candidates_in_its_alarm(db: Database) -> None:
    # given a parked car, and an exit camera that reads its plate without the province character
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    held = await site.read("out", "A12345", T0 + timedelta(hours=1))
    # then the text is no plate: the car goes the no-plate way (scan to pay), nothing is closed
    assert (held.decision.opens, held.decision.reason) == (False, Reason.NO_PLATE)
    assert held.session_id is None
    # and the cloud seat gets the text, the event and the cars it may be in an unreadable-plate alarm
    alarms = await site.alarms(AlarmKind.UNREADABLE_PLATE)
    assert [(a.plate, a.details["text"], a.details["candidates"], a.details["event_id"]) for a in alarms] == [
        (NO_PLATE, "A12345", [PLATE], held.event_id)
    ]
    assert await site.alarms(AlarmKind.EXIT_WITHOUT_ENTRY) == []
    assert await site.occupied() == (1, 1)


async def test_exit_without_entry_and_no_similar_plate_has_no_candidates(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", "沪C99999", T0)
    held = await site.read("out", PLATE, T0 + timedelta(hours=1))
    assert held.decision.reason is Reason.EXIT_WITHOUT_ENTRY
    assert held.decision.candidates == ()
    assert held.decision.fee_fen == 2000


async def test_valid_pass_opens_at_entry_and_exit(db: Database) -> None:
    site = await build_site(db)
    await site.add_pass(PLATE, T0 - timedelta(days=1), T0 + timedelta(days=30))
    entry = await site.read("in", PLATE, T0)
    assert entry.decision.opens
    assert entry.decision.reason is Reason.PASS_HOLDER
    assert entry.decision.lines[2] == "月租车 剩余30天"
    out = await site.read("out", PLATE, T0 + timedelta(hours=5))
    assert out.decision.opens
    assert out.decision.reason is Reason.NOTHING_DUE
    stay = await site.session(out.session_id or 0)
    assert (stay.state, stay.fee_due_fen, stay.release_method) == (
        SessionState.EXITED,
        0,
        ReleaseMethod.AUTOMATIC,
    )
    assert stay.category is VehicleCategory.MONTHLY
    assert await site.occupied() == (0, 0)


async def test_expired_pass_pays_as_temporary_from_its_expiry(db: Database) -> None:
    site = await build_site(db)
    await site.add_pass(PLATE, T0 - timedelta(days=30), T0 + timedelta(hours=1))
    entry = await site.read("in", PLATE, T0)
    assert entry.decision.reason is Reason.PASS_HOLDER
    out = await site.read("out", PLATE, T0 + timedelta(hours=2, minutes=10))
    # Covered for the first hour; 70 minutes after expiry are three started half hours.
    assert not out.decision.opens
    assert out.decision.reason is Reason.FEE_DUE
    assert out.decision.fee_fen == 600
    assert await site.occupied() == (1, 1)


async def test_time_window_pass_pays_outside_its_window(db: Database) -> None:
    site = await build_site(db)
    # 08:00-18:00 Shanghai time; T0 is 09:00 there.
    await site.add_pass(PLATE, T0 - timedelta(days=1), T0 + timedelta(days=30), window=(time(8), time(18)))
    entry = await site.read("in", PLATE, T0)
    assert entry.decision.reason is Reason.PASS_HOLDER
    assert entry.decision.category is VehicleCategory.TIME_CONTROLLED
    inside = await site.read("out", PLATE, T0 + timedelta(hours=8, minutes=50))  # 17:50
    assert inside.decision.opens
    assert inside.decision.fee_fen == 0
    await site.read("in", PLATE, T0 + timedelta(hours=9))  # 18:00 on the dot: back in, outside the window
    out = await site.read("out", PLATE, T0 + timedelta(hours=11))  # 20:00: two hours outside the window
    assert not out.decision.opens
    assert out.decision.fee_fen == 800


async def test_time_window_pass_entering_before_its_window_pays_until_it_starts(db: Database) -> None:
    site = await build_site(db)
    await site.add_pass(PLATE, T0 - timedelta(days=1), T0 + timedelta(days=30), window=(time(8), time(18)))
    entry = await site.read("in", PLATE, T0 - timedelta(hours=2))  # 07:00
    assert entry.decision.reason is Reason.WELCOME
    out = await site.read("out", PLATE, T0 + timedelta(hours=2))  # 11:00: 07:00-08:00 uncovered
    assert out.decision.fee_fen == 400


async def test_group_pass_overflow_car_pays_until_it_moves_onto_a_freed_space(db: Database) -> None:
    site = await build_site(db)
    await site.add_group("family", spaces=2)
    plates = ["京A00001", "京A00002", "京A00003"]
    for plate in plates:
        await site.add_pass(plate, T0 - timedelta(days=1), T0 + timedelta(days=30), group="family")
    a = await site.read("in", plates[0], T0)
    b = await site.read("in", plates[1], T0)
    c = await site.read("in", plates[2], T0)
    assert a.decision.reason is b.decision.reason is Reason.PASS_HOLDER
    # The third car finds both spaces taken: it enters as a temporary car.
    assert c.decision.opens
    assert c.decision.reason is Reason.WELCOME
    assert c.decision.category is VehicleCategory.TEMPORARY
    third = await site.session(c.session_id or 0)
    assert third.group_overflow
    assert third.covered_from is None
    # Before anyone leaves, the overflow car owes for its whole stay (two hours).
    early = await site.read("out", plates[2], T0 + timedelta(hours=2))
    assert not early.decision.opens
    assert early.decision.fee_fen == 800
    # The first car leaves free after two hours; the third moves onto its space from that moment.
    left = await site.read("out", plates[0], T0 + timedelta(hours=2, minutes=1))
    assert left.decision.opens
    assert left.decision.fee_fen == 0
    moved = await site.session(c.session_id or 0)
    assert not moved.group_overflow
    assert moved.covered_from == T0 + timedelta(hours=2, minutes=1)
    out = await site.read("out", plates[2], T0 + timedelta(hours=5))
    # Only 2 h 1 min before the move are charged: five started half hours.
    assert not out.decision.opens
    assert out.decision.fee_fen == 1000
    # A fourth read of the group: the two spaces are taken again by b and c, so another car would pay.
    await site.add_pass("京A00004", T0 - timedelta(days=1), T0 + timedelta(days=30), group="family")
    d = await site.read("in", "京A00004", T0 + timedelta(hours=5, minutes=1))
    assert d.decision.category is VehicleCategory.TEMPORARY
    assert (await site.session(d.session_id or 0)).group_overflow


async def test_inner_lot_stay_is_billed_by_its_tariff_and_not_again_outside(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", PLATE, T0)
    inner_in = await site.read("inner_in", PLATE, T0 + timedelta(minutes=30))
    assert inner_in.decision.opens
    assert inner_in.decision.reason is Reason.INNER_ENTRY
    child = await site.session(inner_in.session_id or 0)
    assert (child.parent_id, child.area_id, child.state) == (entry.session_id, site.ids["inner"], SessionState.IN_LOT)
    assert await site.area_occupied("inner") == 1
    inner_out = await site.read("inner_out", PLATE, T0 + timedelta(minutes=90))
    assert inner_out.decision.opens
    assert inner_out.decision.reason is Reason.INNER_EXIT
    assert inner_out.session_id == child.id
    assert (await site.session(child.id)).state is SessionState.EXITED
    assert await site.area_occupied("inner") == 0
    out = await site.read("out", PLATE, T0 + timedelta(minutes=120))
    # Outer 0-30 and 90-120 (one half hour each, 200 + 200) plus inner 30-90 (two half hours, 400): 800, not the
    # 1200 of charging the whole two hours outside and the inner hour on top.
    assert out.decision.fee_fen == 800
    assert await site.occupied() == (1, 1)


async def test_inner_pass_through_within_free_minutes_costs_nothing_inside(db: Database) -> None:
    site = await build_site(db, inner_free_minutes=10)
    await site.read("in", PLATE, T0)
    await site.read("inner_in", PLATE, T0 + timedelta(minutes=10))
    await site.read("inner_out", PLATE, T0 + timedelta(minutes=18))
    out = await site.read("out", PLATE, T0 + timedelta(minutes=30))
    # Eight minutes inside are a pass-through, free there; each uncovered part is priced as a stay of its own
    # (docs in parking.sessions.billing), so the outer 10 and 12 minutes are each within the free quarter hour.
    assert out.decision.opens
    assert out.decision.fee_fen == 0


async def test_inner_stay_longer_than_free_minutes_is_charged_inside(db: Database) -> None:
    site = await build_site(db, inner_free_minutes=10)
    await site.read("in", PLATE, T0)
    await site.read("inner_in", PLATE, T0 + timedelta(minutes=5))
    await site.read("inner_out", PLATE, T0 + timedelta(minutes=25))
    out = await site.read("out", PLATE, T0 + timedelta(minutes=30))
    assert out.decision.fee_fen == 200  # 20 minutes inside; the outer 5 + 5 minutes are free


async def test_outer_exit_closes_an_inner_stay_whose_exit_was_not_read(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    inner_in = await site.read("inner_in", PLATE, T0 + timedelta(minutes=5))
    # The inner exit camera misses the car: the outer exit is the next reading.
    await site.read("out", PLATE, T0 + timedelta(minutes=10))
    child = await site.session(inner_in.session_id or 0)
    assert (child.state, child.exit_at) == (SessionState.EXITED, T0 + timedelta(minutes=10))
    assert await site.area_occupied("inner") == 0
    assert await site.occupied() == (0, 0)


async def test_prepaid_exit_within_grace_opens_free(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", PLATE, T0)
    await site.update_session(entry.session_id or 0, paid_fen=400, last_paid_at=T0 + timedelta(minutes=60))
    out = await site.read("out", PLATE, T0 + timedelta(minutes=74))
    assert out.decision.opens
    assert out.decision.reason is Reason.IN_GRACE
    stay = await site.session(entry.session_id or 0)
    assert (stay.state, stay.release_method) == (SessionState.EXITED, ReleaseMethod.PREPAID)
    assert await site.occupied() == (0, 0)


async def test_prepaid_exit_after_grace_pays_only_the_difference(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", PLATE, T0)
    await site.update_session(entry.session_id or 0, paid_fen=400, last_paid_at=T0 + timedelta(minutes=60))
    out = await site.read("out", PLATE, T0 + timedelta(minutes=80))
    # 80 minutes cost three half hours (600); 400 is paid.
    assert not out.decision.opens
    assert out.decision.reason is Reason.FEE_DUE
    assert out.decision.fee_fen == 200
    assert (await site.session(entry.session_id or 0)).state is SessionState.IN_LOT


async def test_prepaid_exit_fully_paid_after_grace_opens(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", PLATE, T0)
    await site.update_session(entry.session_id or 0, paid_fen=600, last_paid_at=T0 + timedelta(minutes=60))
    out = await site.read("out", PLATE, T0 + timedelta(minutes=80))
    assert out.decision.opens
    assert out.decision.reason is Reason.PAID


async def test_no_plate_car_enters_and_leaves_by_driver_key(db: Database) -> None:
    site = await build_site(db)
    camera = await site.read("in", NO_PLATE, T0)
    assert not camera.decision.opens
    assert camera.decision.reason is Reason.NO_PLATE
    assert camera.decision.lines == (texts.NO_PLATE_LINE, texts.SCAN_TO_ENTER)
    a = await site.read("in", NO_PLATE, T0, driver_key="openid-a")
    b = await site.read("in", NO_PLATE, T0 + timedelta(minutes=1), driver_key="openid-b")
    assert a.decision.opens
    assert b.decision.opens
    assert a.session_id != b.session_id
    assert await site.occupied() == (2, 2)
    exit_camera = await site.read("out", NO_PLATE, T0 + timedelta(minutes=50))
    assert not exit_camera.decision.opens
    assert exit_camera.decision.lines[1] == texts.SCAN_TO_PAY
    out = await site.read("out", NO_PLATE, T0 + timedelta(minutes=50), driver_key="openid-a")
    assert out.session_id == a.session_id
    assert not out.decision.opens
    assert out.decision.fee_fen == 400
    free = await site.read("out", NO_PLATE, T0 + timedelta(minutes=10), driver_key="openid-b")
    assert free.decision.opens
    assert free.session_id == b.session_id
    assert await site.occupied() == (1, 1)


async def test_no_plate_driver_scanning_the_entry_code_twice_makes_one_stay(db: Database) -> None:
    site = await build_site(db)
    first = await site.read("in", NO_PLATE, T0, driver_key="openid-a")
    again = await site.read("in", NO_PLATE, T0 + timedelta(seconds=20), driver_key="openid-a")
    assert again.decision.opens
    assert again.session_id == first.session_id
    assert len(await site.all_sessions()) == 1
    assert await site.occupied() == (1, 1)


async def test_offline_exit_unpaid_becomes_arrears_flagged_at_another_lot_of_the_customer(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    out = await site.read("out", PLATE, T0 + timedelta(hours=2), offline=True)
    assert out.decision.opens
    left = await site.session(out.session_id or 0)
    assert (left.state, left.arrears_fen, left.fee_due_fen) == (SessionState.EXITED, 800, 800)
    assert await site.occupied() == (0, 0)

    other = await build_site(db, same_customer_as=site)
    entry = await other.read("in", PLATE, T0 + timedelta(days=1))
    assert entry.decision.opens
    assert entry.decision.lines[2] == texts.HAS_ARREARS
    assert [a.message for a in await other.alarms(AlarmKind.ARREARS)] == ["该车有历史欠费8.00元"]
    leave = await other.read("out", PLATE, T0 + timedelta(days=1, minutes=10))
    assert not leave.decision.opens
    assert leave.decision.reason is Reason.FEE_DUE
    assert leave.decision.fee_fen == 800  # ten minutes free here, the arrears asked for


async def test_arrears_are_not_asked_at_a_lot_of_another_customer(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    await site.read("out", PLATE, T0 + timedelta(hours=2), offline=True)
    stranger = await build_site(db)
    entry = await stranger.read("in", PLATE, T0 + timedelta(days=1))
    assert entry.decision.alarms == ()
    leave = await stranger.read("out", PLATE, T0 + timedelta(days=1, minutes=10))
    assert leave.decision.opens
    assert leave.decision.fee_fen == 0


async def test_new_energy_plate_without_registration_bills_as_new_energy_class(db: Database) -> None:
    site = await build_site(db)
    entry = await site.read("in", "粤BD12345", T0, color=PlateColor.GREEN)
    stay = await site.session(entry.session_id or 0)
    assert stay.vehicle_class.value == "new_energy"
    # No new-energy tariff at this lot: the small-car tariff prices it.
    out = await site.read("out", "粤BD12345", T0 + timedelta(minutes=61))
    assert out.decision.fee_fen == 600


async def test_a_repeat_exit_read_of_the_car_that_just_left_opens_without_an_alarm(db: Database) -> None:
    site = await build_site(db)
    await site.read("in", PLATE, T0)
    out = await site.read("out", PLATE, T0 + timedelta(minutes=10))
    again = await site.read("out2", PLATE, T0 + timedelta(minutes=11))
    assert again.decision.opens
    assert again.decision.reason is Reason.ALREADY_LEFT
    assert again.session_id == out.session_id
    assert await site.alarms() == []
    # Long after, the same plate at the exit with no stay is an exit without entry again.
    late = await site.read("out", PLATE, T0 + timedelta(minutes=20))
    assert not late.decision.opens
    assert late.decision.reason is Reason.EXIT_WITHOUT_ENTRY
    assert await site.occupied() == (0, 0)
