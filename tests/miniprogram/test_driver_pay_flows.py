"""More drivers paying in the H5 build of the mini-program (issue #19), each read back from the database: a monthly
pass renewed online, a stay with a merchant coupon, the leave-by time after paying inside the lot, and a stay
that ended while its page was open."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from playwright.async_api import Page, expect
from sqlalchemy import select

from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.lanes.decisions import Reason
from parking.merchants.models import CodeKind, Coupon, CouponKind, CouponStatus
from parking.payments.gateway import Channels
from parking.payments.models import OrderStatus, PaymentChannel, PaymentPurpose
from parking.payments.service import record_cash
from parking.sessions.enums import SessionState
from parking.tenancy.models import Lot
from parking.vehicles.models import Pass, Vehicle
from tests.codes.helpers import make_code, payload
from tests.coupons.helpers import give
from tests.lanes.site import Site, build_site
from tests.miniprogram.conftest import MiniProgramServer
from tests.miniprogram.test_driver_flows import PLATE, log_in, openid, orders, parked, stay, tap
from tests.payments.offpeak_helpers import SHANGHAI, add_product, local_day, local_midnight, sold

NO_CHANNELS = cast(Channels, None)  # cash at the booth never reaches a channel


async def in_lot_stay(phone: Page, mp_server: MiniProgramServer, site: Site) -> None:
    """The driver scans the lot's in-lot code, logs in and types the plate: the stay's page is open."""
    code = await make_code(site.db, site.lot_id, CodeKind.IN_LOT, utcnow(), expires_at=utcnow() + timedelta(days=1))
    await phone.goto(f"{mp_server.url}/m/c/{payload(code)}")
    await log_in(phone)
    await expect(phone.locator("[data-test=error]")).to_be_visible()
    await phone.locator("[data-test=plate-input] input").fill("粤b 12345")
    await tap(phone, "确定")


def month_later(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, day.day)


async def test_a_monthly_pass_is_renewed_online_by_one_period_from_its_end(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a monthly pass sold online (all day), held by the plate until the 15th of next month
    site = await build_site(db)
    product_id = await add_product(site, quota=None, window=None)
    old_end = local_midnight(month_later(local_day(utcnow()).replace(day=15)))
    tenant = {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"], "lot_id": site.lot_id}
    async with db.transaction(Scope.internal()) as s:
        vehicle = Vehicle(**tenant, plate=PLATE)
        s.add(vehicle)
        await s.flush()
        held = Pass(**tenant, product_id=product_id, vehicle_id=vehicle.id, starts_at=utcnow(), ends_at=old_end)
        s.add(held)
        await s.flush()
        pass_id = held.id
    # when the driver opens the lot's passes, types the plate and pays through WeChat Pay
    await phone.goto(f"{mp_server.url}/m/#/pages/login/login")
    await log_in(phone)
    await expect(phone.get_by_text("输入车牌号，如 京A12345")).to_be_attached()
    await phone.goto("about:blank")
    await phone.goto(f"{mp_server.url}/m/#/pages/passes/passes?lotId={site.lot_id}&lotName=Lot")
    await phone.locator("[data-test=plate-input] input").fill("粤B12345")
    await tap(phone, "购买 ¥300.00")
    await expect(phone.locator("[data-test=paid]")).to_contain_text("购买成功")
    # then the same pass ends one month later than it did (the lot's calendar), and its renewal order is paid
    result = await sold(db, product_id)
    [renewed] = result.passes
    assert renewed.id == pass_id
    assert renewed.ends_at == local_midnight(month_later(old_end.astimezone(SHANGHAI).date()))
    [renewal] = result.renewals
    assert (renewal.pass_id, renewal.previous_ends_at, renewal.new_ends_at) == (pass_id, old_end, renewed.ends_at)
    [order] = result.orders
    assert (order.status, order.purpose, order.amount_fen, order.pass_id) == (
        OrderStatus.PAID,
        PaymentPurpose.PASS_RENEWAL,
        30000,
        pass_id,
    )
    assert order.payer_key == await openid(phone)
    assert renewal.payment_order_id == order.id


async def test_a_merchant_coupon_is_taken_off_the_stay_paid_through_wechat_pay(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a car parked for 70 minutes (600 fen) holding a merchant's 2-yuan coupon
    site = await build_site(db)
    session_id = await parked(site, 70)
    coupon_id = await give(site, PLATE, CouponKind.AMOUNT, 200, utcnow() - timedelta(minutes=30))
    # when the driver opens the stay by the in-lot code: the coupon shows as a deduction, the fee is after it
    await in_lot_stay(phone, mp_server, site)
    await expect(phone.get_by_text("-¥2.00")).to_be_visible()
    await expect(phone.locator("[data-test=fee]")).to_have_text("¥4.00")
    await tap(phone, "支付 ¥4.00")
    await expect(phone.locator("[data-test=paid]")).to_contain_text("支付成功")
    # then WeChat Pay took 400 fen, the stay is paid in full and the coupon is redeemed on it
    [order] = await orders(db, session_id)
    assert (order.status, order.channel, order.amount_fen) == (OrderStatus.PAID, PaymentChannel.WECHAT_JSAPI, 400)
    row = await stay(db, session_id)
    assert (row.state, row.paid_fen) == (SessionState.IN_LOT, 400)
    async with db.session(Scope.internal()) as s:
        used = await s.scalar(select(Coupon).where(Coupon.id == coupon_id))
    assert used is not None
    assert (used.status, used.session_id, used.discount_fen) == (CouponStatus.REDEEMED, session_id, 200)


async def test_paying_inside_the_lot_shows_the_leave_by_time_in_the_lots_time(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given a car parked for 70 minutes, its driver on the stay's page from the in-lot code
    site = await build_site(db)
    session_id = await parked(site, 70)
    await in_lot_stay(phone, mp_server, site)
    await tap(phone, "支付 ¥6.00")
    await expect(phone.locator("[data-test=paid]")).to_contain_text("支付成功")
    # then the page says to leave by the stay's grace deadline, on the lot's (Shanghai) clock
    row = await stay(db, session_id)
    async with db.session(Scope.internal()) as s:
        lot = await s.get(Lot, site.lot_id)
    assert lot is not None
    assert row.last_paid_at is not None
    deadline = row.last_paid_at + timedelta(minutes=lot.prepay_grace_minutes)
    leave_by = deadline.astimezone(SHANGHAI).strftime("%H:%M")
    await expect(phone.locator("[data-test=grace]")).to_have_text(f"请于 {leave_by} 前离场")


async def test_paying_a_stay_that_ended_while_its_page_was_open_is_refused_in_chinese(
    db: Database, mp_server: MiniProgramServer, phone: Page
) -> None:
    # given the driver on the stay's page (600 fen owed)
    site = await build_site(db)
    session_id = await parked(site, 70)
    await in_lot_stay(phone, mp_server, site)
    await expect(phone.locator("[data-test=fee]")).to_have_text("¥6.00")
    # when the car is held at the exit, pays cash at the booth and leaves before the driver taps pay
    held = await site.read("out", PLATE, utcnow())
    assert held.decision.reason is Reason.FEE_DUE
    await record_cash(db, NO_CHANNELS, Scope.internal(), session_id, 600, None, utcnow())
    before = await stay(db, session_id)
    assert before.state is SessionState.EXITED
    await tap(phone, "支付 ¥6.00")
    # then the page says the stay has ended, in Chinese, and no online order was made or paid
    await expect(phone.locator(".error")).to_have_text("车辆已离场，本次停车已结束，无需支付")
    await expect(phone.locator("[data-test=paid]")).to_have_count(0)
    [cash] = await orders(db, session_id)
    assert (cash.channel, cash.status, cash.amount_fen) == (PaymentChannel.CASH, OrderStatus.PAID, 600)
    after = await stay(db, session_id)
    assert (after.state, after.paid_fen, after.exit_at) == (SessionState.EXITED, 600, before.exit_at)
