"""Frictionless parking against the fake: service check, entry, ACCEPTED then PAY_FAIL / PAY_BACK / BPA."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fakes.recorder import NotificationRecorder, Recorded
from fakes.wechatpay import FakeWeChatPay
from parking.payments.callbacks import InMemoryNonceStore, apply_notification
from parking.payments.channels.base import (
    ChannelNotification,
    NotificationKind,
    TradeState,
    TradeStatus,
    status_event,
)
from parking.payments.channels.wechat_parking import ParkingEntry, ServiceState, WeChatParkingService
from parking.payments.config import WeChatPayConfig
from parking.payments.errors import ChannelError
from parking.payments.ids import new_out_trade_no
from parking.payments.state import (
    CreditPayment,
    Effect,
    Order,
    OrderState,
    PaymentAccepted,
    PaymentFailed,
    PaymentSucceeded,
    apply,
)
from parking.plates import PlateColor

OPENID = "oUpF8uMuAJO_parking_driver"


def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def parking(wechat_config: WeChatPayConfig) -> WeChatParkingService:
    return WeChatParkingService(wechat_config, InMemoryNonceStore())


async def enrolled_entry(
    parking: WeChatParkingService, control: httpx.AsyncClient, plate: str
) -> tuple[ParkingEntry, datetime]:
    await control.post("/parking-services", json={"plate_number": plate, "plate_color": "BLUE", "openid": OPENID})
    entered = now() - timedelta(hours=2)
    entry = await parking.enter(new_out_trade_no(now(), "E"), plate, PlateColor.BLUE, entered, "欢乐海岸停车场", 0)
    return entry, entered


async def charge(
    parking: WeChatParkingService, entry: ParkingEntry, entered: datetime, plate: str, amount: int = 1200
) -> tuple[str, TradeStatus]:
    out_trade_no = new_out_trade_no(now())
    status = await parking.charge(
        out_trade_no=out_trade_no,
        amount_fen=amount,
        parking_id=entry.parking_id,
        plate=plate,
        color=PlateColor.BLUE,
        entered_at=entered,
        left_at=now(),
        parking_name="欢乐海岸停车场",
        device_id="lane-1",
    )
    return out_trade_no, status


def parse_all(parking: WeChatParkingService, deliveries: list[Recorded]) -> list[ChannelNotification]:
    return [parking.parse_notification(d.headers, d.body, now()) for d in deliveries]


def accepted(out_trade_no: str, amount: int, status: TradeStatus) -> Order:
    event = status_event(status)
    assert event == PaymentAccepted(str(status.transaction_id))
    return apply(Order(out_trade_no, amount), event).new_state


async def test_service_state_of_enrolled_and_unknown_plates(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient
) -> None:
    # given one enrolled plate
    await wechat_control.post(
        "/parking-services", json={"plate_number": "粤B12345", "plate_color": "BLUE", "openid": OPENID}
    )
    # then it is NORMAL and another plate is OUT_SERVICE
    assert await parking.find_service("粤B·12345", PlateColor.BLUE, OPENID) is ServiceState.NORMAL
    assert await parking.find_service("粤B54321", PlateColor.BLUE, OPENID) is ServiceState.OUT_SERVICE


async def test_entry_with_zero_free_duration_is_accepted(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient, wechat_fake: tuple[FakeWeChatPay, str]
) -> None:
    # when a lot without free minutes reports an entry (wechatpayv3's helper would refuse 0)
    entry, _ = await enrolled_entry(parking, wechat_control, "粤B20001")
    # then WeChat opened it for deduction with free_duration 0
    assert entry.state == "NORMAL"
    assert wechat_fake[0].parkings[entry.parking_id]["free_duration"] == 0


async def test_accepted_then_pay_fail(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given a deduction WeChat accepted
    entry, entered = await enrolled_entry(parking, wechat_control, "粤B20002")
    out_trade_no, status = await charge(parking, entry, entered, "粤B20002")
    order = accepted(out_trade_no, 1200, status)
    # when the deduction fails
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"outcome": "fail"})
    [note] = parse_all(parking, recorder[0].received[before:])
    failed = apply_notification(order, note)
    # then the order went paying -> failed and WeChat reports PAY_FAIL on query
    assert status.state is TradeState.PAYING
    assert status_event(status) == PaymentAccepted(str(status.transaction_id))
    assert order.state is OrderState.PAYING
    assert note.event == PaymentFailed("扣款失败")
    assert failed.new_state.state is OrderState.FAILED
    assert (await parking.query(out_trade_no)).state is TradeState.FAILED


async def test_pay_back_overtaking_pay_fail_leaves_order_paid(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given an accepted deduction whose FAIL and later PAY_BACK notifications are held
    entry, entered = await enrolled_entry(parking, wechat_control, "粤B20003")
    out_trade_no, status = await charge(parking, entry, entered, "粤B20003", 900)
    fail = await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"outcome": "fail", "hold": True})
    back = await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"outcome": "pay_back", "hold": True})
    # when they arrive in reverse order
    before = len(recorder[0].received)
    ids = back.json()["notifications"] + fail.json()["notifications"]
    await wechat_control.post("/outbox/deliver", json={"ids": ids})
    notes = parse_all(parking, recorder[0].received[before:])
    order = accepted(out_trade_no, 900, status)
    effects: list[Effect] = []
    for note in notes:
        transition = apply_notification(order, note)
        effects += transition.effects
        order = transition.new_state
    # then the order is paid once and the stale failure was ignored
    assert [n.raw["trade_state"] for n in notes] == ["SUCCESS", "PAY_FAIL"]
    assert effects == [CreditPayment(out_trade_no, str(status.transaction_id), 900)]
    assert order.state is OrderState.PAID


async def test_channel_advance_is_success_with_bpa(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given an accepted deduction that WeChat pays in advance (垫资)
    entry, entered = await enrolled_entry(parking, wechat_control, "粤B20004")
    out_trade_no, _ = await charge(parking, entry, entered, "粤B20004", 500)
    before = len(recorder[0].received)
    await wechat_control.post(f"/transactions/{out_trade_no}/pay", json={"outcome": "advance"})
    [note] = parse_all(parking, recorder[0].received[before:])
    # then it is a success flagged as advanced
    assert isinstance(note.event, PaymentSucceeded)
    assert note.event.advanced_by_channel is True
    assert note.raw["bank_type"] == "BPA"
    assert note.raw["user_repaid"] == "N"


async def test_entrance_blocked_notification(
    parking: WeChatParkingService, wechat_control: httpx.AsyncClient, recorder: tuple[NotificationRecorder, str]
) -> None:
    # given an entry, when WeChat blocks it (driver paused the service)
    entry, _ = await enrolled_entry(parking, wechat_control, "粤B20005")
    before = len(recorder[0].received)
    await wechat_control.post(f"/parkings/{entry.parking_id}/state", json={"state": "BLOCKED", "block_reason": "PAUSE"})
    [note] = parse_all(parking, recorder[0].received[before:])
    # then we get a verified entrance change with no payment event
    assert note.kind is NotificationKind.ENTRANCE
    assert note.event is None
    assert note.raw["parking_id"] == entry.parking_id
    assert note.raw["parking_state"] == "BLOCKED"


async def test_unenrolled_plate_is_blocked_and_cannot_be_charged(parking: WeChatParkingService) -> None:
    # given a plate without the service
    entered = now() - timedelta(hours=1)
    entry = await parking.enter(new_out_trade_no(now(), "E"), "粤B29999", PlateColor.BLUE, entered, "停车场", 900)
    # then the entry is blocked and a deduction is refused
    assert entry.state == "BLOCKED"
    with pytest.raises(ChannelError) as raised:
        await charge(parking, entry, entered, "粤B29999")
    assert raised.value.status == 403
