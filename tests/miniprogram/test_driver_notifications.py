"""The entry notification (车辆入场通知) end to end in the H5 build (a phone-sized chromium against the real API on
the local fakes): a driver logs in with WeChat and binds a plate in 我的车辆, the lot's entry camera pushes that
plate over its real HTTP protocol, the car enters, and WeChat's subscribe message reaches the fake WeChat API with
the lot's entry template, the driver's openid, the plate, the lot and the entry time in the lot's zone.

WeChat's consent (wx.requestSubscribeMessage) exists only in mp-weixin: the H5 page asks nothing and sends no
subscribeTemplates query (README "Notifications"); the fake WeChat API delivers to every user not in its
`refusing` set, i.e. it stands for a driver who accepted the template. The public subscribeTemplates query the
mp-weixin build asks with is read here too, from the same server."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import httpx
from playwright.async_api import Page, Request, expect
from sqlalchemy import select

from hardware.cameras.types import PlateColorName
from hardware.simulators.camera import CameraSimulator
from parking.common.database import Database
from parking.common.scope import Scope
from parking.sessions.enums import SessionState
from parking.sessions.models import ParkingSession
from tests.lanes.site import build_site
from tests.miniprogram.conftest import MiniProgramServer
from tests.miniprogram.test_driver_flows import PLATE, tap
from tests.miniprogram.test_driver_plates import eventually, logged_in, lot_values, open_page

ENTRY_TEMPLATE = "TPL_MP_ENTRY"
PAID_TEMPLATE = "TPL_MP_PAID_2"
# Not the default Asia/Shanghai, nor the server's or the browser's zone: the time in the message is the lot's.
LOT_ZONE = "Asia/Urumqi"


async def templates(server: MiniProgramServer, lot_id: int) -> list[str]:
    """What the mp-weixin build asks WeChat's consent for (the public query of src/api/subscribe.ts)."""
    async with httpx.AsyncClient(timeout=10) as client:
        reply = await client.post(
            f"{server.url}/graphql",
            json={"query": "query($lotId: ID) { subscribeTemplates(lotId: $lotId) }", "variables": {"lotId": lot_id}},
        )
    assert reply.status_code == 200, reply.text
    return list(reply.json()["data"]["subscribeTemplates"])


async def test_a_bound_plate_entering_at_the_camera_notifies_its_driver_with_the_entry_template(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a lot in Urumqi's zone with entry and payment templates, its entry lane's camera
    site = await build_site(db)
    lot_name = await lot_values(
        db,
        site,
        timezone=LOT_ZONE,
        payment_settings={"entry_template_id": ENTRY_TEMPLATE, "paid_template_id": PAID_TEMPLATE},
    )
    assert set(await templates(mp_server, site.lot_id)) == {ENTRY_TEMPLATE, PAID_TEMPLATE}
    [serial] = [name for name in site.secrets if name.endswith("-in")]
    cam = CameraSimulator(
        f"{mp_server.url}/devices/vzenith/push",
        serial=serial,
        token=site.secrets[serial],
        token_header="X-Device-Key",
        timeout_s=10,
    )
    # and a driver who logs in with WeChat and binds the plate in 我的车辆 (H5: no consent sheet, no query for it)
    asked: list[str] = []

    def graphql_request(request: Request) -> None:
        if request.url.endswith("/graphql") and "subscribeTemplates" in (request.post_data or ""):
            asked.append(request.post_data or "")

    phone.on("request", graphql_request)
    driver = await logged_in(phone, mp_server)
    await open_page(phone, mp_server, "plates")
    await phone.locator("[data-test=bind-input] input").fill(PLATE)
    await tap(phone, "绑定车辆")
    await expect(phone.locator("[data-test=plate]")).to_contain_text(PLATE)
    assert asked == []
    fake = mp_server.fakes.wechat_api
    assert [m for m in fake.messages if m["touser"] == driver] == []

    # when the camera at the entry lane reads the plate
    reply = await cam.push(PLATE, PlateColorName.BLUE, confidence=0.96)
    assert reply is not None
    assert reply.status_code == 200

    # then the car is in the lot
    async with db.session(Scope.internal()) as s:
        [stay] = list(await s.scalars(select(ParkingSession).where(ParkingSession.lot_id == site.lot_id)))
    assert (stay.plate, stay.state) == (PLATE, SessionState.IN_LOT)
    # and one entry message reached the fake WeChat API, for this driver, with the lot's entry template
    message = await eventually(
        lambda: next((m for m in fake.messages if m["touser"] == driver), None), "the entry notification"
    )
    local = stay.entry_at.astimezone(ZoneInfo(LOT_ZONE)).strftime("%Y-%m-%d %H:%M")
    assert local != stay.entry_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert message["template_id"] == ENTRY_TEMPLATE
    assert message["data"] == {
        "car_number1": {"value": PLATE},
        "thing2": {"value": lot_name[:20]},
        "time3": {"value": local},
    }
    # and only that one: no payment message, no second entry message
    assert [m for m in fake.messages if m["touser"] == driver] == [message]
