"""Drivers' own plates and lots in the H5 build (a phone-sized chromium against the real API on the local fakes):
binding a plate in 我的车辆 and the refusal of one another account holds, a plate's history once its driver paid
for it (and not before), the paid stay's WeChat notification arriving at the fake WeChat API, lots near the
phone's position. The database and the fakes are read afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from playwright.async_api import Page, expect
from sqlalchemy import select, update

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.drivers.models import DriverPlate
from parking.tenancy.models import Lot
from tests.lanes.site import Site, build_site
from tests.miniprogram.conftest import MiniProgramServer
from tests.miniprogram.test_driver_flows import PLATE, log_in, openid, parked, tap

T = TypeVar("T")
PAID_TEMPLATE = "TPL_MP_PAID"
OTHERS = "粤B54321"


async def eventually(probe: Callable[[], T | None], what: str) -> T:
    """Something the server does after its answer (a notification), waited for (bounded; nothing is timed)."""
    for _ in range(1200):
        if (found := probe()) is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


async def logged_in(phone: Page, server: MiniProgramServer) -> str:
    await phone.goto(f"{server.url}/m/#/pages/login/login")
    await log_in(phone)
    await expect(phone.get_by_text("输入车牌号，如 京A12345")).to_be_attached()
    return await openid(phone)


async def open_page(phone: Page, server: MiniProgramServer, page: str) -> None:
    # (a fresh load: a hash change alone would keep the previous page on screen)
    await phone.goto("about:blank")
    await phone.goto(f"{server.url}/m/#/pages/{page}/{page}")


async def bindings(db: Database) -> set[tuple[str, str]]:
    async with db.session(Scope.internal()) as s:
        return {(row.openid, row.plate) for row in await s.scalars(select(DriverPlate))}


async def lot_values(db: Database, site: Site, **values: Any) -> str:
    async with db.transaction(Scope.internal()) as tx:
        await tx.execute(update(Lot).where(Lot.id == site.lot_id).values(**values))
        lot = await tx.get(Lot, site.lot_id)
        assert lot is not None
        return lot.name


async def test_a_plate_is_bound_in_my_plates_and_one_held_elsewhere_is_refused(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a plate another WeChat account holds, and a logged-in driver in 我的车辆
    async with db.transaction(Scope.internal()) as tx:
        tx.add(DriverPlate(openid="oSomeoneElse", plate=OTHERS, slot=1, bound_at=utcnow()))
    driver = await logged_in(phone, mp_server)
    await open_page(phone, mp_server, "plates")
    await expect(phone.get_by_text("尚未绑定车辆")).to_be_visible()
    # when the driver binds a plate typed loosely
    await phone.locator("[data-test=bind-input] input").fill("粤b·12345")
    await tap(phone, "绑定车辆")
    # then it is listed, not proven yet, and bound to this account
    card = phone.locator("[data-test=plate]")
    await expect(card).to_have_count(1)
    await expect(card).to_contain_text(PLATE)
    await expect(card).to_contain_text("未认证")
    assert await bindings(db) == {("oSomeoneElse", OTHERS), (driver, PLATE)}
    # when the driver tries the plate the other account holds
    await phone.locator("[data-test=bind-input] input").fill(OTHERS)
    await tap(phone, "绑定车辆")
    # then a clear refusal, and nothing changed
    await expect(phone.locator("[data-test=error]")).to_have_text("该车牌已被其他账号绑定")
    await expect(card).to_have_count(1)
    assert await bindings(db) == {("oSomeoneElse", OTHERS), (driver, PLATE)}


async def test_a_bound_plate_paid_through_wechat_pay_notifies_its_driver_and_opens_its_history(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a lot sending payment notifications, a car parked there for 70 minutes, a driver who bound its plate
    site = await build_site(db)
    lot_name = await lot_values(db, site, payment_settings={"paid_template_id": PAID_TEMPLATE})
    await parked(site, 70)
    driver = await logged_in(phone, mp_server)
    await open_page(phone, mp_server, "plates")
    await phone.locator("[data-test=bind-input] input").fill(PLATE)
    await tap(phone, "绑定车辆")
    await expect(phone.locator("[data-test=plate]")).to_contain_text("未认证")
    # then its history is closed: binding proves nothing
    await tap(phone, "停车记录")
    await expect(phone.locator("[data-test=error]")).to_have_text("缴过该车的停车费或持有其月卡后可查看记录")
    await expect(phone.locator("[data-test=history]")).to_have_count(0)
    # when the driver looks the plate up on the home page and pays through WeChat Pay (the fake)
    await open_page(phone, mp_server, "index")
    await phone.locator("[data-test=plate-lookup] input").fill(PLATE)
    await tap(phone, "查询")
    await phone.get_by_text("¥6.00").click()
    await tap(phone, "支付 ¥6.00")
    await expect(phone.locator("[data-test=paid]")).to_contain_text("支付成功")
    # then the result points to 开发票
    await expect(phone.locator("[data-test=invoice]")).to_contain_text("电子发票")
    await expect(phone.locator("[data-test=invoice]")).to_contain_text("去开发票")
    # and the payment notification reached the fake WeChat API, for this driver with the lot's template
    fake = mp_server.fakes.wechat_api
    message = await eventually(
        lambda: next((m for m in fake.messages if m["touser"] == driver), None), "the paid notification"
    )
    assert message["template_id"] == PAID_TEMPLATE
    assert message["data"]["amount3"]["value"].startswith("6")
    assert message["data"]["thing2"]["value"] == lot_name
    assert message["data"]["car_number1"]["value"] == PLATE
    # and the plate is proven: its history lists the paid stay
    await open_page(phone, mp_server, "plates")
    await expect(phone.locator("[data-test=plate]")).to_contain_text("已认证")
    await tap(phone, "停车记录")
    row = phone.locator("[data-test=history]")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(lot_name)
    await expect(row).to_contain_text("¥6.00")
    await expect(phone.locator("[data-test=error]")).to_have_count(0)
    assert [m for m in fake.messages if m["touser"] == driver] == [message]


async def test_lots_near_the_phone_show_distance_free_spaces_and_tariff(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a lot 111 m north of the phone with 40 of its 100 spaces taken, and one without coordinates
    here = (23.1291, 113.2644)
    site, hidden = await build_site(db), await build_site(db)
    name = await lot_values(db, site, latitude=here[0] + 0.001, longitude=here[1], occupied=40)
    hidden_name = await lot_values(db, hidden, occupied=0)
    await phone.context.grant_permissions(["geolocation"])
    await phone.context.set_geolocation({"latitude": here[0], "longitude": here[1]})
    # when the driver opens 附近车场 (no login needed)
    await open_page(phone, mp_server, "nearby")
    # then the lot is listed with its distance, free spaces and tariff; the other is not
    lot = phone.locator("[data-test=lot]")
    await expect(lot).to_have_count(1)
    await expect(lot).to_contain_text(name)
    await expect(lot).to_contain_text("111")
    await expect(lot.locator("[data-test=spaces]")).to_have_text("空位 60/100")
    await expect(lot).to_contain_text("免费15分钟，每30分钟2元")
    await expect(phone.get_by_text(hidden_name, exact=True)).to_have_count(0)
