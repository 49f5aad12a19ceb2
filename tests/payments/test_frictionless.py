"""Frictionless parking (微信支付分停车) in the lane flow: entry registered after commit, the exit held while WeChat
deducts, the gate opened by WeChat's answer once, arrears when a deduction fails after the car left.

Exits are pushed through the camera endpoint of our app; WeChat is the fake server, its notifications are relayed
to our notify URL byte for byte.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from fakes.recorder import Recorded
from fakes.wechatpay import FakeWeChatPay
from hardware.cameras import CameraProtocol, CameraReading, PlateColorName, vzenith
from hardware.displays.led_frames import decode_display
from parking.alarms.models import AlarmKind
from parking.common.scope import Scope
from parking.lanes import texts
from parking.lanes.decisions import Reason
from parking.payments.frictionless.dispatch import InProcessFrictionless
from parking.payments.frictionless.entrance import entrance_changed
from parking.payments.frictionless.hooks import SERVICE
from parking.payments.frictionless.models import EntryState, FrictionlessParking
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.sessions.enums import ReleaseMethod, SessionState
from parking.tenancy.models import Lot
from tests.payments.flow import Flow, wall_now

_plate_ids = itertools.count(1000)
_plates = itertools.count(10)


def new_plate() -> str:
    # The fake WeChat server lives for the whole test session: each test enrols plates of its own.
    return f"京F{next(_plates):05d}"


async def use_frictionless(flow: Flow, *, advance: bool = False) -> None:
    settings = {"no_entry_fee_fen": 2000, "frictionless": True, "frictionless_advance": advance}
    async with flow.db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == flow.site.lot_id).values(payment_settings=settings))


async def enrol(flow: Flow, plate: str) -> None:
    """The driver enables WeChat's parking service for the plate."""
    response = await flow.wechat_control.post(
        "/parking-services", json={"plate_number": plate, "plate_color": "BLUE", "openid": "o_frictionless"}
    )
    assert response.status_code == 200


async def finish_background(flow: Flow) -> None:
    dispatch = flow.db.services[SERVICE]
    assert isinstance(dispatch, InProcessFrictionless)
    await dispatch.drain()


async def enter(flow: Flow, plate: str, minutes_ago: int = 70) -> int:
    session_id = await flow.enter(plate, minutes_ago)
    await finish_background(flow)
    return session_id


async def registration(flow: Flow, session_id: int) -> FrictionlessParking | None:
    async with flow.db.session(Scope.internal()) as s:
        row: FrictionlessParking | None = await s.scalar(
            select(FrictionlessParking).where(FrictionlessParking.session_id == session_id)
        )
        return row


async def push_exit(flow: Flow, plate: str) -> tuple[bool, list[str], list[str]]:
    """The exit camera reads the plate: whether the reply opens, the display lines and the voice."""
    serial = next(s for s in flow.site.secrets if s.endswith("-out"))
    body = vzenith.encode_push(
        CameraReading(
            protocol=CameraProtocol.VZENITH,
            serial=serial,
            plate_text=plate,
            color=PlateColorName.BLUE,
            confidence=0.95,
            taken_at=wall_now(),
            camera_plate_id=next(_plate_ids),
        )
    )
    response = await flow.http.post(
        f"/devices/vzenith/push?key={flow.site.secrets[serial]}",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    await finish_background(flow)
    reply = vzenith.decode_reply(response.content)
    shown = decode_display(data for _, data in reply.serial_frames)
    return reply.open, [line.text for line in shown.lines.values()], list(shown.voice)


async def parking_orders(flow: Flow, session_id: int) -> list[PaymentOrder]:
    return [o for o in await flow.orders(session_id) if o.channel is PaymentChannel.WECHAT_PARKING]


async def pay_held(flow: Flow, out_trade_no: str, **options: Any) -> list[str]:
    """Make WeChat build its notification but hold it; returns the held notification ids."""
    response = await flow.wechat_control.post(f"/transactions/{out_trade_no}/pay", json={**options, "hold": True})
    assert response.status_code == 200, response.text
    ids: list[str] = response.json()["notifications"]
    return ids


async def deliver(flow: Flow, ids: list[str]) -> list[Recorded]:
    before = len(flow.recorder.received)
    response = await flow.wechat_control.post("/outbox/deliver", json={"ids": ids})
    assert response.status_code == 200, response.text
    return flow.recorder.received[before:]


async def test_a_frictionless_car_leaves_once_wechat_reports_success(
    flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    # given a lot with the service, and a driver who enabled it for the plate
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    # when the car enters, the stay is registered with WeChat after the entry committed
    session_id = await enter(flow, plate)
    entry = await registration(flow, session_id)
    assert entry is not None
    assert (entry.state, entry.plate, entry.deduction_failed) == (EntryState.NORMAL, plate, False)
    assert wechat_fake[0].parkings[entry.parking_id]["out_parking_no"] == entry.out_parking_no
    # when it reaches the exit, the barrier holds and the display says WeChat is deducting the 6 yuan
    opened, lines, voice = await push_exit(flow, plate)
    assert not opened
    assert lines[2:] == [texts.amount_line(600), texts.FRICTIONLESS_PAYING]
    assert not any("请缴费" in line for line in lines)  # the driver is not also told to pay
    assert voice == [texts.FRICTIONLESS_PAYING]
    # and the deduction was asked for after commit: accepted, not yet paid, so the car waits (no 垫资 here)
    [order] = await parking_orders(flow, session_id)
    assert (order.status, order.amount_fen, order.purpose) == (OrderStatus.PAYING, 600, PaymentPurpose.PARKING_EXIT)
    assert (await registration(flow, session_id)).out_trade_no == order.out_trade_no  # type: ignore[union-attr]
    assert await flow.queued_opens(session_id) == []
    assert (await flow.stay(session_id)).state is SessionState.IN_LOT
    # when WeChat reports SUCCESS, twice
    responses = await flow.relay(await flow.wechat_pay(order.out_trade_no, copies=2))
    assert [r.status_code for r in responses] == [204, 204]
    # then the gate opens once and the stay is paid by the frictionless service
    [command] = await flow.queued_opens(session_id)
    assert command.lane_id == flow.site.ids["out"]
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen, stay.release_method) == (SessionState.EXITED, 600, ReleaseMethod.FRICTIONLESS)
    assert (await flow.order(order.out_trade_no)).status is OrderStatus.PAID
    assert await flow.site.occupied() == (0, 0)


async def test_accepted_with_advance_opens_at_once_and_success_opens_nothing_more(flow: Flow) -> None:
    # given a lot whose merchant has WeChat's advance (垫资)
    await use_frictionless(flow, advance=True)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    # when the car is held at the exit and WeChat accepts the deduction
    opened, _, _ = await push_exit(flow, plate)
    assert not opened
    # then the gate opens at once, before the money is taken
    [order] = await parking_orders(flow, session_id)
    assert order.status is OrderStatus.PAYING
    [command] = await flow.queued_opens(session_id)
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen, stay.release_method) == (SessionState.EXITED, 0, ReleaseMethod.FRICTIONLESS)
    # and the SUCCESS that follows credits the stay without a second open
    [response] = await flow.relay(await flow.wechat_pay(order.out_trade_no))
    assert response.status_code == 204
    assert [c.id for c in await flow.queued_opens(session_id)] == [command.id]
    stay = await flow.stay(session_id)
    assert (stay.paid_fen, stay.arrears_fen) == (600, 0)


async def test_pay_fail_after_opening_becomes_arrears_and_pay_back_clears_it(flow: Flow) -> None:
    # given a car let out on ACCEPTED (垫资)
    await use_frictionless(flow, advance=True)
    plate = new_plate()
    await enrol(flow, plate)
    first = await enter(flow, plate)
    await push_exit(flow, plate)
    [order] = await parking_orders(flow, first)
    assert (await flow.stay(first)).state is SessionState.EXITED
    # when WeChat then reports that the deduction failed
    [response] = await flow.relay(await flow.wechat_pay(order.out_trade_no, outcome="fail"))
    assert response.status_code == 204
    # then the 600 fen become the stay's arrears, and no second deduction is tried for it
    assert (await flow.order(order.out_trade_no)).status is OrderStatus.FAILED
    stay = await flow.stay(first)
    assert (stay.paid_fen, stay.arrears_fen) == (0, 600)
    assert (await registration(flow, first)).deduction_failed  # type: ignore[union-attr]
    # when the car comes back, its entry is flagged
    outcome = await flow.site.read("in", plate, wall_now() - timedelta(minutes=70))
    assert outcome.decision.opens
    assert texts.HAS_ARREARS in outcome.decision.lines
    [alarm] = await flow.site.alarms(AlarmKind.ARREARS)
    assert alarm.plate == plate
    await finish_background(flow)
    second = outcome.session_id
    assert second is not None
    # and its exit asks for the arrears with this stay's fee, to be paid by scanning: never deducted unasked
    opened, lines, _ = await push_exit(flow, plate)
    assert not opened
    assert texts.fee_line(1200) in lines
    assert texts.FRICTIONLESS_PAYING not in lines
    assert await parking_orders(flow, second) == []
    # when the driver pays the failed deduction back in WeChat (PAY_BACK)
    [response] = await flow.relay(await flow.wechat_pay(order.out_trade_no, outcome="pay_back"))
    assert response.status_code == 204
    # then the arrears are cleared, and the next read at the exit deducts only this stay's fee
    assert (await flow.order(order.out_trade_no)).status is OrderStatus.PAID
    stay = await flow.stay(first)
    assert (stay.paid_fen, stay.arrears_fen) == (600, 0)
    opened, lines, _ = await push_exit(flow, plate)
    assert lines[2:] == [texts.amount_line(600), texts.FRICTIONLESS_PAYING]
    [deduction] = await parking_orders(flow, second)
    assert deduction.amount_fen == 600


async def test_a_car_without_the_service_pays_normally(flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]) -> None:
    # given a lot with the service, and a plate whose driver never enabled it
    await use_frictionless(flow)
    plate = new_plate()
    session_id = await enter(flow, plate)
    # then WeChat answered the registration BLOCKED
    entry = await registration(flow, session_id)
    assert entry is not None
    assert (entry.state, entry.block_reason) == (EntryState.BLOCKED, "OUT_SERVICE")
    # when the car reaches the exit it is asked to pay, and no deduction is asked for
    opened, lines, _ = await push_exit(flow, plate)
    assert not opened
    assert lines[2:] == [texts.fee_line(600)]
    assert await parking_orders(flow, session_id) == []
    # and paying by the exit QR code lets it out as before
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    assert len(await flow.queued_opens(session_id)) == 1
    assert (await flow.stay(session_id)).release_method is ReleaseMethod.EXIT_SCAN


async def test_a_lot_without_the_service_never_calls_wechat(flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]) -> None:
    plate = new_plate()
    await enrol(flow, plate)
    before = len(wechat_fake[0].received)
    session_id = await enter(flow, plate)
    opened, lines, _ = await push_exit(flow, plate)
    assert (opened, lines[2:]) == (False, [texts.fee_line(600)])
    assert await registration(flow, session_id) is None
    assert wechat_fake[0].received[before:] == []


async def test_duplicate_and_out_of_order_notifications_credit_once(flow: Flow) -> None:
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    await push_exit(flow, plate)
    [order] = await parking_orders(flow, session_id)
    # given a stale failure and two copies of the success, arriving success, failure, success
    [failure] = await pay_held(flow, order.out_trade_no, outcome="fail")
    success, again = await pay_held(flow, order.out_trade_no, copies=2)
    responses = await flow.relay(await deliver(flow, [success, failure, again]))
    # then every one is acknowledged, the stay is credited once and the gate opened once
    assert [r.status_code for r in responses] == [204, 204, 204]
    assert (await flow.order(order.out_trade_no)).status is OrderStatus.PAID
    assert len(await flow.queued_opens(session_id)) == 1
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen, stay.arrears_fen) == (SessionState.EXITED, 600, 0)


async def test_a_forged_notification_changes_nothing(flow: Flow) -> None:
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    await push_exit(flow, plate)
    [order] = await parking_orders(flow, session_id)
    # when a SUCCESS signed with a key WeChat does not own arrives
    [response] = await flow.relay(await flow.wechat_pay(order.out_trade_no, forge=True))
    # then it is refused and nothing moved: the order waits, the car waits, no gate command
    assert response.status_code == 400
    assert (await flow.order(order.out_trade_no)).status is OrderStatus.PAYING
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen) == (SessionState.IN_LOT, 0)
    assert await flow.queued_opens(session_id) == []


async def test_entrance_state_notifications_update_the_stored_state(
    flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    # given a car that entered before its driver enabled the service
    await use_frictionless(flow)
    plate = new_plate()
    session_id = await enter(flow, plate)
    entry = await registration(flow, session_id)
    assert entry is not None
    assert entry.state is EntryState.BLOCKED
    # when the driver enables it and WeChat says so (twice)
    await enrol(flow, plate)
    response = await flow.wechat_control.post(
        f"/parkings/{entry.parking_id}/state", json={"state": "NORMAL", "copies": 2}
    )
    assert response.status_code == 200
    deliveries = [d for d in flow.recorder.received if d.body and b"ENTRANCE_STATE_CHANGE" in d.body][-2:]
    assert [r.status_code for r in await flow.relay(deliveries)] == [204, 204]
    # then the stored state is NORMAL and the exit deducts
    assert (await registration(flow, session_id)).state is EntryState.NORMAL  # type: ignore[union-attr]
    _, lines, _ = await push_exit(flow, plate)
    assert lines[-1] == texts.FRICTIONLESS_PAYING
    assert len(await parking_orders(flow, session_id)) == 1


async def test_a_refused_deduction_leaves_the_car_to_pay_another_way(flow: Flow) -> None:
    # given a registered car whose entry WeChat blocked without us hearing of it (a lost notification)
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    entry = await registration(flow, session_id)
    assert entry is not None
    flow.recorder.status_code = 500  # the state-change notification is lost on its way
    try:
        await flow.wechat_control.post(f"/parkings/{entry.parking_id}/state", json={"state": "BLOCKED"})
    finally:
        flow.recorder.status_code = 200
    # when the car reaches the exit, WeChat refuses the deduction
    _, lines, _ = await push_exit(flow, plate)
    assert lines[-1] == texts.FRICTIONLESS_PAYING
    [order] = await parking_orders(flow, session_id)
    assert order.status is OrderStatus.FAILED
    # then nothing opened, nothing is owed as arrears, and the next read asks the driver to pay
    assert await flow.queued_opens(session_id) == []
    stay = await flow.stay(session_id)
    assert (stay.state, stay.arrears_fen) == (SessionState.IN_LOT, 0)
    held = await flow.site.read("out", plate, wall_now())
    assert held.decision.reason is Reason.FEE_DUE


async def test_registration_runs_once_however_often_it_is_asked(
    flow: Flow, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    dispatch = flow.db.services[SERVICE]
    before = len(wechat_fake[0].received)
    # when the registration message is delivered again (a Dramatiq retry)
    await dispatch.entered(session_id)
    await finish_background(flow)
    # then WeChat is not called again and the row is unchanged
    assert wechat_fake[0].received[before:] == []
    entry = await registration(flow, session_id)
    assert entry is not None
    assert entry.state is EntryState.NORMAL


async def test_an_entrance_state_older_than_the_stored_one_changes_nothing(flow: Flow) -> None:
    await use_frictionless(flow)
    plate = new_plate()
    await enrol(flow, plate)
    session_id = await enter(flow, plate)
    entry = await registration(flow, session_id)
    assert entry is not None
    assert entry.state_changed_at is not None
    raw = {"out_parking_no": entry.out_parking_no, "parking_id": entry.parking_id, "parking_state": "BLOCKED"}
    # a BLOCKED sent a minute before our registration arrives late: the NORMAL stays
    stale = {**raw, "state_update_time": (entry.state_changed_at - timedelta(minutes=1)).isoformat()}
    assert await entrance_changed(flow.db, stale, wall_now())
    assert (await registration(flow, session_id)).state is EntryState.NORMAL  # type: ignore[union-attr]
    # one for an entry we never registered is answered, and changes nothing
    assert not await entrance_changed(flow.db, {**raw, "out_parking_no": "E-unknown"}, wall_now())
    # a newer one is stored
    fresh = {**raw, "state_update_time": (entry.state_changed_at + timedelta(minutes=1)).isoformat()}
    assert await entrance_changed(flow.db, fresh, wall_now())
    assert (await registration(flow, session_id)).state is EntryState.BLOCKED  # type: ignore[union-attr]
