"""A car held at the exit for its fee and its arrears: paying the whole amount opens the barrier at once.

The exit camera and its poll are Vzenith firmware messages (tests/lanes/firmware.py) pushed to our app; WeChat
Pay is the fake server, its notification relayed to our notify URL byte for byte.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from hardware.cameras import vzenith
from hardware.displays.led_frames import decode_display
from parking.common.scope import Scope
from parking.devices.models import Device, GateCommandStatus
from parking.payments.models import PaymentChannel
from parking.sessions.enums import ReleaseMethod, SessionState
from tests.lanes.firmware import JSON_TYPE, vzenith_heartbeat, vzenith_plate
from tests.payments.flow import PLATE, Flow, wall_now


async def test_paying_fee_and_arrears_at_a_held_exit_opens_the_barrier_at_once(flow: Flow) -> None:
    site = flow.site
    serial = next(s for s in site.secrets if s.endswith("-out"))
    url = f"/devices/vzenith/push?key={site.secrets[serial]}"
    # (a camera set to comet polling: it acts on the reply to each poll; docs/devices.md)
    async with flow.db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).where(Device.serial == serial).values(config={"heartbeat": "comet"}))
    # given a plate that left unpaid while the lot was offline (100 minutes: 800 fen of arrears)
    earlier = await site.read("in", PLATE, wall_now() - timedelta(minutes=300))
    await site.read("out", PLATE, wall_now() - timedelta(minutes=200), offline=True)
    assert (await site.session(earlier.session_id or 0)).arrears_fen == 800
    # and is back, inside for 70 minutes (600 fen)
    session_id = await flow.enter(minutes_ago=70)
    # when the exit camera reads it, the barrier holds for both
    pushed = await flow.http.post(
        url, content=vzenith_plate(serial, PLATE, 31, wall_now()), headers={"content-type": JSON_TYPE}
    )
    reply = vzenith.decode_reply(pushed.content)
    assert not reply.open
    assert "请缴费14.00元" in [line.text for line in decode_display(d for _, d in reply.serial_frames).lines.values()]
    # and the driver scans the exit code and pays the 14 yuan
    started = await flow.start(session_id, PaymentChannel.WECHAT_NATIVE)
    assert started.order.amount_fen == 1400
    [notified] = await flow.relay(await flow.wechat_pay(started.order.out_trade_no))
    assert notified.status_code == 204
    # then the stay is closed as paid, the arrears are cleared, and one open waits for the lane
    stay = await flow.stay(session_id)
    assert (stay.state, stay.paid_fen, stay.release_method) == (SessionState.EXITED, 600, ReleaseMethod.EXIT_SCAN)
    assert (await site.session(earlier.session_id or 0)).arrears_fen == 0
    [command] = await flow.queued_opens(session_id)
    assert command.status is GateCommandStatus.PENDING
    # and the camera's next poll opens the barrier
    body, content_type = vzenith_heartbeat(serial)
    polled = await flow.http.post(url, content=body, headers={"content-type": content_type})
    assert vzenith.decode_reply(polled.content).open
    assert await site.occupied() == (0, 0)
