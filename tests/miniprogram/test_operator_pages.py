"""The mini-program's operator side (云停管家) in chromium at a phone's size, H5 build against the real API under
uvicorn, with WeChat login and WeChat Pay on the local fakes through the API's development bridge: a merchant's
staff member joins with the invite code, buys a coupon pack with WeChat Pay (stock credited) and issues a coupon to
a plate; a lot's staff member sees today's revenue and the lanes' status, opens a lane remotely with a reason,
registers a visitor and reports a fault with a photo; a token without the rights is refused in Chinese with nothing
changed. The database is checked after each. Screenshots go to var/test-artifacts/miniprogram/."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image
from playwright.async_api import Browser, FilePayload, Locator, Page, Route, WebSocket, expect
from sqlalchemy import insert, select

import tests.web.conftest as web
from fakes.__main__ import credentials_document, write_credentials
from fakes.alipay import FakeAlipay
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from hardware.cameras.types import PlateColorName
from parking.accounts.models import Operator, Role, operator_lots
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.devices.models import GateCommand
from parking.faults.models import FaultTicket, FaultTicketPhoto
from parking.merchants.models import (
    CodeKind,
    Coupon,
    CouponKind,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    Merchant,
    ParkingCode,
    StockSource,
)
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.enums import VehicleCategory
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import ListEntry, Pass, PassProduct, Vehicle
from tests.factories import PASSWORD, PASSWORD_HASH, World, build_world
from tests.miniprogram.conftest import ROOT, need_h5
from tests.web.conftest import LiveApi
from tests.web.test_console_realtime import add_camera, camera
from tests.zygote import ServerProcess

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "var" / "test-artifacts" / "miniprogram"
# The API answers on a machine shared with other test runs: waits after an action are longer than the default.
AFTER_ACTION_MS = 20_000
INVITE = "KAFEI-2026"

# tests/web's fixtures: the uvicorn processes to stop, and chromium.
server_process = web.server_process
browser = web.browser

LOT_ZONE = ZoneInfo("Asia/Shanghai")  # the seeded lots' zone (the default)


@pytest.fixture
def fake_channels(tmp_path: Path) -> Iterator[Path]:
    """WeChat Pay, Alipay and the WeChat API fakes on loopback ports; their test credentials in a file."""
    wechatpay, alipay, wechat_api = FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI()
    with ExitStack() as stack:
        urls = {
            "wechatpay": stack.enter_context(serve_in_thread(wechatpay.app)),
            "alipay": stack.enter_context(serve_in_thread(alipay.app)),
            "wechat_api": stack.enter_context(serve_in_thread(wechat_api.app)),
        }
        path = tmp_path / "fakes-credentials.json"
        write_credentials(path, credentials_document(wechatpay, alipay, wechat_api, urls))
        yield path


@pytest.fixture
async def live_api(
    db: Database,
    backend: str,
    tmp_path: Path,
    fake_channels: Path,
    monkeypatch: pytest.MonkeyPatch,
    server_process: list[ServerProcess],
) -> LiveApi:
    """tests/web's live server, serving the H5 build at /m/ with the development bridge to the fakes."""
    h5 = need_h5()
    world = await build_world(db)
    port = web.free_port()
    wechat_api = json.loads(await asyncio.to_thread(fake_channels.read_text))["wechat_api"]
    for name, value in {
        "PARKCLOUD_MINIPROGRAM_DIST": str(h5),
        "PARKCLOUD_DEV_FAKES": "1",
        "PARKCLOUD_PAYMENT_CREDENTIALS": str(fake_channels),
        "PARKCLOUD_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PARKCLOUD_WECHAT_API_URL": wechat_api["base_url"],
        "PARKCLOUD_WECHAT_APPID": wechat_api["appid"],
        "PARKCLOUD_WECHAT_SECRET": wechat_api["secret"],
        "PARKCLOUD_DEVICE_POLL_S": "0",
        "PARKCLOUD_COUPON_EXPIRY_S": "0",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(web, "free_port", lambda: port)  # the notify URL the channels call back names this port
    dashboard = tmp_path / "web"
    dashboard.mkdir()
    (dashboard / "index.html").write_text("<!doctype html><title>dashboard</title>")
    database_url = db.engine.url.render_as_string(hide_password=False)
    proc, url = await asyncio.to_thread(web.start_server, database_url, tmp_path / "var", dashboard)
    server_process.append(proc)
    return LiveApi(url=url, world=world, backend=backend)


@pytest.fixture
async def phone(browser: Browser, live_api: LiveApi) -> AsyncIterator[Page]:
    # The lots keep Asia/Shanghai days; the phone is where its lot is.
    context = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=True
    )
    yield await context.new_page()
    await context.close()


def shot(request: pytest.FixtureRequest, name: str) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return str(ARTIFACTS / f"{request.node.name}-{name}.png")


async def rows(db: Database, model: Any) -> list[Any]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(model).order_by(model.id)))


def owned(world: World, lot: str = "A1a") -> dict[str, int]:
    return {
        "agent_id": world.ids[f"agent:{lot[0]}"],
        "customer_id": world.ids[f"customer:{lot[:2]}"],
        "lot_id": world.ids[f"lot:{lot}"],
    }


async def fill(page: Page | Locator, test: str, value: str) -> None:
    await page.locator(f"[data-test={test}] input").fill(value)


async def tap(scope: Page | Locator, test: str) -> None:
    """Press the button inside a `data-test` wrapper (a small button does not fill its wrapper)."""
    await scope.locator(f"[data-test={test}] .wd-button").click()


async def open_page(page: Page, api: LiveApi, path: str) -> None:
    await page.goto(f"{api.url}/m/#/{path}")


async def sign_in(page: Page, api: LiveApi, username: str) -> None:
    await open_page(page, api, "pages-staff/login/login")
    await fill(page, "op-username", username)
    await fill(page, "op-password", PASSWORD)
    await tap(page, "op-login")


async def test_a_merchant_joins_buys_a_pack_with_wechat_pay_and_issues_a_coupon(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    async with db.transaction(Scope.internal()) as s:
        template = CouponTemplate(**owned(world), name="两小时券", kind=CouponKind.MINUTES, value=120, price_fen=200)
        merchant = Merchant(**owned(world), name="咖啡店", invite_code=INVITE)
        s.add_all([template, merchant])
        await s.flush()
        template_id, merchant_id = template.id, merchant.id
    # join with the invite code: the new account signs in and lands on the merchant's page
    await open_page(phone, live_api, "pages-staff/login/login")
    await phone.click("[data-test=op-join] >> text=商户员工加入（邀请码）")
    await fill(phone, "join-code", INVITE)
    await fill(phone, "join-username", "barista")
    await fill(phone, "join-password", "latte-art-42")
    await fill(phone, "join-name", "小王")
    await tap(phone, "join-submit")
    await expect(phone.locator("[data-test=merchant-name]")).to_have_text("咖啡店", timeout=AFTER_ACTION_MS)
    await expect(phone.locator("[data-test=merchant-stock]")).to_contain_text("暂无库存")

    # buy a pack of 5 with WeChat Pay (the fake pays): the stock is credited. The payer's openid comes from
    # POST /api/driver/login with a wx.login code (its "openid", issue #19's contract).
    await phone.click(f"[data-test=template-{template_id}]")
    await fill(phone, "buy-quantity", "5")
    await expect(phone.locator("[data-test=buy-submit]")).to_contain_text("微信支付 ¥10.00")
    await tap(phone, "buy-submit")
    await expect(phone.locator("[data-test=merchant-notice]")).to_have_text(
        "购买成功，库存增加 5 张", timeout=AFTER_ACTION_MS
    )
    await expect(phone.locator(f"[data-test=stock-{template_id}]")).to_contain_text("剩余 5 张")
    [stock] = [x for x in await rows(db, CouponStock) if x.merchant_id == merchant_id]
    assert (stock.template_id, stock.source, stock.quantity, stock.remaining) == (
        template_id,
        StockSource.PURCHASE,
        5,
        5,
    )
    [order] = await rows(db, PaymentOrder)
    assert (order.status, order.channel, order.amount_fen) == (OrderStatus.PAID, PaymentChannel.WECHAT_JSAPI, 1000)

    # issue one to a plate (typed in lower case with a space)
    await phone.click(f"[data-test=stock-{template_id}]")
    await fill(phone, "issue-plate", "京a 12345")
    await tap(phone, "issue-submit")
    await expect(phone.locator("[data-test=merchant-notice]")).to_contain_text(
        "已发放给 京A12345", timeout=AFTER_ACTION_MS
    )
    await expect(phone.locator(f"[data-test=stock-{template_id}]")).to_contain_text("剩余 4 张")
    await expect(phone.locator("[data-test=merchant-stats]")).to_contain_text("发放1")

    # the merchant's QR code for drivers to claim that coupon: made here, shown from /api/codes/{id}.png
    await tap(phone, "code-create")
    await expect(phone.locator("[data-test=merchant-qr]")).to_be_visible(timeout=AFTER_ACTION_MS)
    src = await phone.locator("[data-test=merchant-qr] img").get_attribute("src")
    assert (src or "").startswith("data:image/png;base64,")
    await phone.screenshot(path=shot(request, "merchant"), full_page=True)
    [code] = await rows(db, ParkingCode)
    assert (code.kind, code.merchant_id, code.template_id, code.label) == (
        CodeKind.MERCHANT,
        merchant_id,
        template_id,
        "咖啡店",
    )
    [coupon] = await rows(db, Coupon)
    assert (coupon.merchant_id, coupon.template_id, coupon.plate, coupon.status) == (
        merchant_id,
        template_id,
        "京A12345",
        CouponStatus.ISSUED,
    )
    assert [x.remaining for x in await rows(db, CouponStock)] == [4]
    operator = next(o for o in await rows(db, Operator) if o.username == "barista")
    assert (operator.merchant_id, operator.display_name) == (merchant_id, "小王")


def subscription_results(page: Page, field: str) -> list[dict[str, Any]]:
    """The `next` results of a subscription field the page receives over /graphql's websocket, as they come."""
    results: list[dict[str, Any]] = []

    def frame(payload: str | bytes) -> None:
        message = json.loads(payload)
        data = (message.get("payload") or {}).get("data") or {}
        if message.get("type") == "next" and field in data:
            results.append(data[field])

    def socket(ws: WebSocket) -> None:
        if ws.url.endswith("/graphql"):
            ws.on("framereceived", frame)

    page.on("websocket", socket)
    return results


async def seed_lot_day(db: Database, world: World) -> None:
    """Today at lot A1a: a paid stay of 12.50 yuan, a car in the lot, and a reading at its lane an hour ago.

    "Ago" stops at the lot's midnight: in the first hour of the lot's day an hour ago is yesterday, not today.
    """
    now = datetime.now(UTC)
    midnight = now.astimezone(LOT_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)

    def ago(delta: timedelta) -> datetime:
        return max(now - delta, midnight.astimezone(UTC))

    async with db.transaction(Scope.internal()) as s:
        s.add(
            PaymentOrder(
                **owned(world),
                out_trade_no="MPSTAFF0001",
                channel=PaymentChannel.WECHAT_JSAPI,
                purpose=PaymentPurpose.PARKING_EXIT,
                status=OrderStatus.PAID,
                amount_fen=1250,
                refunded_fen=0,
                paid_at=ago(timedelta(minutes=5)),
            )
        )
        s.add(
            ParkingSession(
                **owned(world), plate="京A77777", entry_at=ago(timedelta(minutes=30)), state=SessionState.IN_LOT
            )
        )
        s.add(
            LaneEvent(
                **owned(world),
                lane_id=world.ids["lane:A1a"],
                kind=EventKind.ENTRY,
                at=ago(timedelta(hours=1)),
                received_at=ago(timedelta(hours=1)),
                plate="京A99999",
                dedup_key="mp-staff-1",
                opened=True,
            )
        )


async def test_lot_staff_see_today_open_a_lane_with_a_reason_and_register_a_visitor(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    await seed_lot_day(db, world)
    lane_id, lot_id = world.ids["lane:A1a"], world.ids["lot:A1a"]
    await add_camera(db, lane_id)
    pushed = subscription_results(phone, "laneEvents")
    await sign_in(phone, live_api, "lotA1a")

    today = phone.locator("[data-test=staff-today]")
    await expect(today.locator("[data-test=today-revenue]")).to_have_text("¥12.50", timeout=AFTER_ACTION_MS)
    await expect(today.locator("[data-test=today-entries]")).to_have_text("1")
    lane = phone.locator(f"[data-test=lane-{lane_id}]")
    await expect(lane.locator("[data-test=lane-status]")).to_contain_text("京A99999")
    await expect(lane.locator("[data-test=lane-status]")).to_contain_text("已抬杆")
    # the lanes follow the laneEvents subscription over graphql-transport-ws
    await expect(phone.locator(f"[data-test=lot-{lot_id}] [data-test=live-mode]")).to_have_text("实时")

    # a remote open needs a reason
    await tap(lane, "lane-open")
    await tap(lane, "open-confirm")
    await expect(lane.locator("[data-test=open-error]")).to_have_text("请填写开闸原因")
    await fill(lane, "open-reason", "访客无牌车")
    await tap(lane, "open-confirm")
    await expect(phone.locator("[data-test=staff-notice]")).to_have_text("开闸指令已发送", timeout=AFTER_ACTION_MS)
    await phone.screenshot(path=shot(request, "staff"), full_page=True)
    [command] = await rows(db, GateCommand)
    assert (command.lane_id, command.reason, command.operator_id) == (
        lane_id,
        "访客无牌车",
        world.ids["operator:lotA1a"],
    )

    # a camera reading at the lane shows up on its own, carried by the websocket
    async with camera(live_api) as cam:
        reply = await cam.push("浙A9W123", PlateColorName.BLUE, confidence=0.96)
    assert reply is not None
    assert reply.status_code == 200
    await expect(lane.locator("[data-test=lane-status]")).to_contain_text("浙A9W123", timeout=AFTER_ACTION_MS)
    assert [e["plate"] for e in pushed] == ["浙A9W123"]

    # register a visitor for 4 hours
    await tap(phone, f"register-{lot_id}")
    await fill(phone, "reg-plate", "京B12345")
    await fill(phone, "reg-reason", "送货")
    await tap(phone, "reg-submit")
    await expect(phone.locator("[data-test=reg-notice]")).to_have_text("已登记访客车 京B12345", timeout=AFTER_ACTION_MS)
    await phone.screenshot(path=shot(request, "visitor"), full_page=True)
    [entry] = await rows(db, ListEntry)
    assert (entry.lot_id, entry.plate, entry.category, entry.reason) == (
        lot_id,
        "京B12345",
        VehicleCategory.VISITOR,
        "送货",
    )
    assert entry.valid_until is not None
    assert entry.valid_until - entry.valid_from == timedelta(hours=4)


async def test_a_token_without_the_right_is_refused_in_chinese_and_nothing_changes(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    # a watcher of lot A1a: sees lanes and figures, may not open gates nor register vehicles
    async with db.transaction(Scope.internal()) as s:
        role = Role(
            name="watcher",
            permissions=["devices.view", "records.view", "finance.view", "lots.view"],
            scope_level=ScopeLevel.LOT,
        )
        s.add(role)
        await s.flush()
        watcher = Operator(
            scope_level=ScopeLevel.LOT,
            agent_id=world.ids["agent:A"],
            customer_id=world.ids["customer:A1"],
            username="watcher",
            display_name="watcher",
            password_hash=PASSWORD_HASH,
            role_id=role.id,
        )
        s.add(watcher)
        await s.flush()
        await s.execute(insert(operator_lots), [{"operator_id": watcher.id, "lot_id": world.ids["lot:A1a"]}])
    lane_id, lot_id = world.ids["lane:A1a"], world.ids["lot:A1a"]
    await sign_in(phone, live_api, "watcher")
    lane = phone.locator(f"[data-test=lane-{lane_id}]")
    await lane.locator("[data-test=lane-open] .wd-button").click(timeout=AFTER_ACTION_MS)
    await fill(lane, "open-reason", "试试")
    await tap(lane, "open-confirm")
    await expect(lane.locator("[data-test=open-error]")).to_have_text(
        "当前账号没有此操作的权限（PERMISSION_DENIED）", timeout=AFTER_ACTION_MS
    )
    await tap(phone, f"register-{lot_id}")
    await fill(phone, "reg-plate", "京B12345")
    await tap(phone, "reg-submit")
    await expect(phone.locator("[data-test=reg-error]")).to_have_text(
        "当前账号没有此操作的权限（PERMISSION_DENIED）", timeout=AFTER_ACTION_MS
    )
    await phone.screenshot(path=shot(request, "refused"), full_page=True)
    assert await rows(db, GateCommand) == []
    assert await rows(db, ListEntry) == []

    # an operator of no role at all: the staff page itself is refused
    await phone.goto(f"{live_api.url}/m/#/pages-staff/login/login")
    await phone.evaluate("() => localStorage.clear()")
    await sign_in(phone, live_api, "viewer")
    await expect(phone.locator("[data-test=lanes-error]")).to_have_text(
        "当前账号没有此操作的权限（PERMISSION_DENIED）", timeout=AFTER_ACTION_MS
    )
    await expect(phone.locator("[data-test=today-error]")).to_have_text("当前账号没有此操作的权限（PERMISSION_DENIED）")


async def test_lot_staff_register_a_monthly_vehicle_and_report_a_fault(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    async with db.transaction(Scope.internal()) as s:
        product = PassProduct(
            **owned(world), name="包月", category=VehicleCategory.MONTHLY, period=PassPeriod.MONTH, price_fen=30000
        )
        s.add(product)
        await s.flush()
        product_id = product.id
    lot_id = world.ids["lot:A1a"]
    await sign_in(phone, live_api, "lotA1a")
    await tap(phone, f"register-{lot_id}")
    await phone.click("[data-test=kind-monthly]")
    await phone.click(f"[data-test=product-{product_id}]")
    await fill(phone, "reg-plate", "京C54321")
    await tap(phone, "reg-submit")
    await expect(phone.locator("[data-test=reg-notice]")).to_have_text(
        "已为 京C54321 开通月卡", timeout=AFTER_ACTION_MS
    )
    [vehicle] = await rows(db, Vehicle)
    [card] = await rows(db, Pass)
    assert (vehicle.lot_id, vehicle.plate) == (lot_id, "京C54321")
    assert (card.product_id, card.vehicle_id) == (product_id, vehicle.id)
    assert card.ends_at > card.starts_at + timedelta(days=27)

    await phone.go_back()
    await tap(phone, f"fault-{lot_id}")
    await tap(phone, "fault-submit")
    await expect(phone.locator("[data-test=fault-error]")).to_have_text("请填写故障简述")
    await fill(phone, "fault-title", "出口道闸不落杆")
    await phone.locator("[data-test=fault-description] textarea").fill("车辆通过后道闸一直抬起")
    # A photo of the gate, picked through uni.chooseImage's file chooser in H5.
    photo = gate_photo()
    async with phone.expect_file_chooser() as chooser:
        await tap(phone, "fault-add-photo")
    await (await chooser.value).set_files(files=[FilePayload(name="gate.jpg", mimeType="image/jpeg", buffer=photo)])
    await expect(phone.locator("[data-test=fault-photo-0]")).to_be_visible()
    await expect(phone.locator("[data-test=fault-add-photo]")).to_be_visible()
    await tap(phone, "fault-submit")
    await expect(phone.locator("[data-test=fault-notice]")).to_contain_text("已上传 1 张照片", timeout=AFTER_ACTION_MS)
    await expect(phone.locator("[data-test=fault-error]")).to_have_count(0)
    await phone.screenshot(path=shot(request, "fault"), full_page=True)
    [ticket] = await rows(db, FaultTicket)
    assert (ticket.lot_id, ticket.title, ticket.description, ticket.reported_by_id) == (
        lot_id,
        "出口道闸不落杆",
        "车辆通过后道闸一直抬起",
        world.ids["operator:lotA1a"],
    )
    [attached] = await rows(db, FaultTicketPhoto)
    assert (attached.ticket_id, attached.lot_id, attached.uploaded_by_id) == (
        ticket.id,
        lot_id,
        world.ids["operator:lotA1a"],
    )
    async with httpx.AsyncClient(base_url=live_api.url) as http:
        headers = {"Authorization": f"Bearer {world.tokens['lotA1a']}"}
        fetched = await http.get(f"/api/images/{attached.ref}", headers=headers)
        foreign = await http.get(
            f"/api/images/{attached.ref}", headers={"Authorization": f"Bearer {world.tokens['agentB']}"}
        )
    assert (fetched.status_code, fetched.headers["content-type"], fetched.content) == (200, "image/jpeg", photo)
    assert foreign.status_code == 404


def gate_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


async def same_wechat(page: Page) -> list[str]:
    """The phone's WeChat account: every wx.login code the H5 build asks the dev bridge for is this account's
    (the bridge gives a new user otherwise). Returns the openid to use, changeable between sign-ins."""
    holder = ["oStaffPhone"]

    async def handle(route: Route) -> None:
        await route.continue_(
            post_data=json.dumps({"openid": holder[0]}),
            headers={
                **route.request.headers,
                "content-type": "application/json",
            },
        )

    await page.route("**/api/dev/wechat/login-code", handle)
    return holder


async def stored_operator(page: Page) -> dict[str, Any] | None:
    """The operator session the app keeps (uni storage is localStorage in H5): None once signed out."""
    raw = await page.evaluate("() => localStorage.getItem('parkcloud.operator')")
    if not raw:
        return None
    stored = json.loads(raw)
    value = stored.get("data") if isinstance(stored, dict) and "data" in stored else stored
    if isinstance(value, str):
        value = json.loads(value) if value else None
    return dict(value) if value else None


async def wechat_columns(db: Database) -> dict[str, tuple[str | None, datetime | None]]:
    return {o.username: (o.wechat_openid, o.last_login_at) for o in await rows(db, Operator)}


async def test_lot_staff_bind_wechat_sign_out_and_sign_in_with_wechat_alone(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    wechat = await same_wechat(phone)
    # given a lot staff member signed in with username and password, on their home
    await sign_in(phone, live_api, "lotA1a")
    await expect(phone.locator("[data-test=staff-today]")).to_be_visible(timeout=AFTER_ACTION_MS)
    # when they bind this phone's WeChat
    await tap(phone, "op-bind-wechat")
    await expect(phone.locator("[data-test=staff-notice]")).to_have_text("已绑定微信", timeout=AFTER_ACTION_MS)
    # then the account holds that openid
    assert (await wechat_columns(db))["lotA1a"][0] == "oStaffPhone"

    # when they sign out: the sign-in page, no session kept
    await tap(phone, "op-logout")
    await expect(phone.locator("[data-test=op-login]")).to_be_visible(timeout=AFTER_ACTION_MS)
    assert await stored_operator(phone) is None
    before = await wechat_columns(db)

    # and sign in with WeChat alone (the same WeChat, a fresh wx.login code through the dev bridge)
    await tap(phone, "op-wechat")
    # then they land on their home, signed in as themselves
    await expect(phone.locator("[data-test=staff-today]")).to_be_visible(timeout=AFTER_ACTION_MS)
    await expect(phone.get_by_text("您好，")).to_be_visible()
    session = await stored_operator(phone)
    assert session is not None
    assert session["token"]
    assert session["lotIds"] == [str(world.ids["lot:A1a"])]
    after = await wechat_columns(db)
    assert after["lotA1a"][0] == "oStaffPhone"
    assert after["lotA1a"][1] is not None
    assert before["lotA1a"][1] is None or after["lotA1a"][1] > before["lotA1a"][1]
    await phone.screenshot(path=shot(request, "wechat-home"), full_page=True)

    # when, signed out, a WeChat no operator bound tries: refused in Chinese, no token, nothing changed
    await tap(phone, "op-logout")
    await expect(phone.locator("[data-test=op-login]")).to_be_visible(timeout=AFTER_ACTION_MS)
    wechat[0] = "oNotBound"
    before = await wechat_columns(db)
    await tap(phone, "op-wechat")
    await expect(phone.locator("[data-test=op-error]")).to_have_text(
        "该微信未绑定账号，请先用账号密码登录后绑定微信", timeout=AFTER_ACTION_MS
    )
    await phone.screenshot(path=shot(request, "wechat-refused"), full_page=True)
    assert await stored_operator(phone) is None
    await expect(phone.locator("[data-test=op-login]")).to_be_visible()
    assert await wechat_columns(db) == before
