"""The daily management jobs in chromium against the real API, each checked in the database afterwards: an owner
and a vehicle registered; a pass issued, renewed, transferred and cancelled; a pass product sold online with a
quota, then cleared back to unlimited; a role made from the permission tree and an operator given it; a device
registered (its push secret shown once), edited and removed; a Vzenith camera and a Modbus relay barrier
registered through the configuration form drawn from deviceConfigSchema; a lot given coordinates and its
retention (保存期限) with its storage usage; the booth taking cash for a held car, with its receipt. Screenshots go
to var/test-artifacts/web/."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from hardware.base import ManualClock
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.accounts.models import Operator, Role
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.models import Device, DeviceStatus
from parking.images.local import LocalImageStore
from parking.merchants.models import CodeKind, CouponStock, ParkingCode
from parking.payments.models import PaymentChannel, PaymentOrder
from parking.sessions.models import LaneEvent
from parking.tenancy.enums import VehicleCategory, VehicleClass
from parking.tenancy.models import Lot
from parking.vehicles.enums import PassPeriod, PassStatus
from parking.vehicles.models import Owner, Pass, PassProduct, PassRenewal, Vehicle
from tests.factories import World
from tests.web.conftest import LiveApi, shot_path
from tests.web.test_merchant_pages import (
    AFTER_MUTATION_MS,
    owned,
    pick,
    rows,
    saved,
    seed_template,
    settled,
    signed_in,
)
from tests.web.test_payments_pages import car_inside

pytestmark = pytest.mark.browser


async def submit(page: Page) -> None:
    await page.get_by_role("dialog").locator("[data-test=form-submit]").click()
    await saved(page)


async def confirm(page: Page) -> None:
    await page.locator(".el-message-box .el-button--primary").click()


async def seed_product_and_cars(db: Database, world: World) -> tuple[int, int, int]:
    """A monthly pass product of lot A1a at 300 yuan and two registered cars there."""
    async with db.transaction(Scope.internal()) as s:
        product = PassProduct(
            **owned(world, "A1a"),
            name="月卡",
            category=VehicleCategory.MONTHLY,
            period=PassPeriod.MONTH,
            price_fen=30000,
            vehicle_class=VehicleClass.SMALL,
        )
        first = Vehicle(**owned(world, "A1a"), plate="京A10001")
        second = Vehicle(**owned(world, "A1a"), plate="京A10002")
        s.add_all([product, first, second])
        await s.flush()
        return product.id, first.id, second.id


async def test_an_owner_and_a_vehicle_are_registered(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/owners")
    await page.click("[data-test=new-owners]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("张三")
    await dialog.locator("input[name=phone]").fill("13800000001")
    await submit(page)
    await expect(page.locator("[data-test=table]")).to_contain_text("张三", timeout=AFTER_MUTATION_MS)

    await page.goto(f"{live_api.url}/#/vehicles")
    await page.click("[data-test=new-vehicles]")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=plate]").fill("粤B12345")
    await pick(page, "plateColor", "绿牌")
    await pick(page, "vehicleClass", "新能源车")
    await pick(page, "ownerId", "张三 13800000001")
    await submit(page)
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("粤B12345", timeout=AFTER_MUTATION_MS)
    await settled(page)
    await table.locator("tr", has_text="粤B12345").locator("[data-test=row-edit]").click()
    await dialog.locator("input[name=note]").fill("地库B2")
    await submit(page)
    await expect(table).to_contain_text("地库B2", timeout=AFTER_MUTATION_MS)
    await page.screenshot(path=shot_path(request, "vehicles"), full_page=True)

    [owner] = await rows(db, Owner)
    assert (owner.lot_id, owner.name, owner.phone) == (live_api.world.ids["lot:A1a"], "张三", "13800000001")
    [vehicle] = await rows(db, Vehicle)
    assert (vehicle.plate, vehicle.owner_id, vehicle.note) == ("粤B12345", owner.id, "地库B2")
    assert (vehicle.plate_color.name, vehicle.vehicle_class.name) == ("GREEN", "NEW_ENERGY")


async def test_a_pass_is_issued_renewed_transferred_and_cancelled(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    product_id, first_id, second_id = await seed_product_and_cars(db, live_api.world)
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/passes")
    await page.click("[data-test=new-passes]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "productId", "月卡")
    await pick(page, "vehicleId", "京A10001")
    await submit(page)
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A10001", timeout=AFTER_MUTATION_MS)
    await settled(page)
    [issued] = await rows(db, Pass)
    assert (issued.product_id, issued.vehicle_id, issued.status) == (product_id, first_id, PassStatus.ACTIVE)
    first_end = issued.ends_at

    # renewed by two months, paid in cash
    await table.locator("tr", has_text="京A10001").locator("[data-test=row-renew]").click()
    await dialog.locator("input[name=periods]").fill("2")
    await dialog.locator("input[name=periods]").blur()
    await submit(page)
    await expect(table).to_contain_text("¥600.00", timeout=AFTER_MUTATION_MS)
    [renewal] = await rows(db, PassRenewal)
    assert (renewal.pass_id, renewal.periods, renewal.amount_fen, renewal.method) == (issued.id, 2, 60000, "cash")
    [renewed] = await rows(db, Pass)
    assert renewed.ends_at > first_end + timedelta(days=55)

    # transferred to the other car: a new pass to the same end, the old one cancelled
    await settled(page)
    await table.locator("tr", has_text="京A10001").locator("[data-test=row-transfer]").click()
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "vehicleId", "京A10002")
    await submit(page)
    await expect(table.locator("tr", has_text="京A10002")).to_have_count(1, timeout=AFTER_MUTATION_MS)
    old, new = await rows(db, Pass)
    assert (old.id, old.status) == (issued.id, PassStatus.CANCELLED)
    assert (new.vehicle_id, new.product_id, new.status, new.ends_at) == (
        second_id,
        product_id,
        PassStatus.ACTIVE,
        renewed.ends_at,
    )

    # cancelled after a confirmation
    await settled(page)
    await table.locator("tr", has_text="京A10002").locator("[data-test=row-cancel]").click()
    await confirm(page)
    await saved(page)
    await settled(page)
    await page.screenshot(path=shot_path(request, "passes"), full_page=True)
    assert [p.status for p in await rows(db, Pass)] == [PassStatus.CANCELLED, PassStatus.CANCELLED]


async def test_a_pass_product_is_sold_online_with_a_quota(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/passes/products")
    await page.click("[data-test=new-passProducts]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("夜间错时")
    await dialog.locator("input[name=price]").fill("150")
    await dialog.locator("input[name=price]").blur()
    await dialog.locator(".el-form-item", has_text="线上销售").locator(".el-switch").click()
    await dialog.locator("input[name=quota]").fill("20")
    await dialog.locator("input[name=quota]").blur()
    await page.screenshot(path=shot_path(request, "product-form"), full_page=True)
    await submit(page)
    await expect(page.locator("[data-test=table]")).to_contain_text("夜间错时", timeout=AFTER_MUTATION_MS)
    [product] = await rows(db, PassProduct)
    assert (product.name, product.price_fen, product.sold_online, product.quota) == ("夜间错时", 15000, True, 20)

    # Cleared back to unlimited: the blank quota is sent as null and stored as no quota.
    await settled(page)
    await page.locator("[data-test=table]").locator("tr", has_text="夜间错时").locator("[data-test=row-edit]").click()
    await dialog.locator("input[name=quota]").fill("")
    await dialog.locator("input[name=quota]").blur()
    await submit(page)
    # The dialog closes once the update answered: read the database after that, not while it is in flight.
    await expect(dialog).to_be_hidden(timeout=AFTER_MUTATION_MS)
    await settled(page)
    [product] = await rows(db, PassProduct)
    assert (product.sold_online, product.quota) == (True, None)


async def test_a_role_is_made_from_the_permission_tree_and_given_to_a_new_operator(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/roles")
    await page.click("[data-test=new-roles]")
    dialog = page.get_by_role("dialog")
    await dialog.locator("input[name=name]").fill("收费员")
    tree = dialog.locator("[data-test=field-permissions]")
    # The tree names each permission in Chinese: 查看记录 is records.view, 现金收费 cash.collect.
    for label in ("查看记录", "现金收费"):
        node = tree.locator(".el-tree-node__content", has=page.get_by_text(label, exact=True))
        await node.locator(".el-checkbox").click()
    await page.screenshot(path=shot_path(request, "role-form"), full_page=True)
    await submit(page)
    await expect(page.locator("[data-test=table]")).to_contain_text("收费员", timeout=AFTER_MUTATION_MS)
    role = next(r for r in await rows(db, Role) if r.name == "收费员")
    assert sorted(role.permissions) == ["cash.collect", "records.view"]

    await page.goto(f"{live_api.url}/#/operators")
    await page.click("[data-test=new-operators]")
    await dialog.locator("input[name=username]").fill("booth01")
    await dialog.locator("input[name=password]").fill("Booth-pass-2026")
    await pick(page, "roleId", "收费员")
    await pick(page, "scopeLevel", "车场")
    await pick(page, "lotIds", "Lot A1a", listbox="车场")
    await dialog.locator("input[name=username]").click()  # closes the multiple select's dropdown
    await submit(page)
    await expect(page.locator("[data-test=table]")).to_contain_text("booth01", timeout=AFTER_MUTATION_MS)
    await settled(page)
    await page.screenshot(path=shot_path(request, "operators"), full_page=True)
    operator = next(o for o in await rows(db, Operator) if o.username == "booth01")
    assert (operator.role_id, operator.scope_level.name, operator.customer_id) == (
        role.id,
        "LOT",
        live_api.world.ids["customer:A1"],
    )


async def test_a_device_is_registered_edited_and_removed(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/devices")
    await page.click("[data-test=new-devices]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "kind", "控制器")
    await dialog.locator("input[name=name]").fill("入口相机")
    await dialog.locator("input[name=serial]").fill("cam-web-01")
    # a barrier wired to the entry camera's relay, written in the config's JSON view (for experts)
    lane = live_api.world.ids["lane:A1a"]
    await dialog.locator("[data-test=config-mode-json]").click()
    await dialog.locator("textarea[name=config]").fill(
        f'{{"type": "camera_io", "lane_id": "{lane}", "offline_after_s": 60}}'
    )
    await dialog.locator("[data-test=form-submit]").click()
    secret = page.locator("[data-test=revealed-key]")
    await expect(secret).not_to_have_value("", timeout=AFTER_MUTATION_MS)
    await page.screenshot(path=shot_path(request, "device-secret"), full_page=True)
    await page.click("[data-test=secret-saved]")
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("入口相机", timeout=AFTER_MUTATION_MS)
    await expect(table.locator("tr", has_text="入口相机")).to_contain_text("Lot A1a")
    [device] = await rows(db, Device)
    assert (device.lot_id, device.serial, device.name) == (live_api.world.ids["lot:A1a"], "cam-web-01", "入口相机")

    assert (device.protocol, device.config["lane_id"], device.config["offline_after_s"]) == ("camera_io", str(lane), 60)

    await settled(page)
    await table.locator("tr", has_text="入口相机").locator("[data-test=row-edit]").click()
    await dialog.locator("input[name=name]").fill("一号入口相机")
    await submit(page)
    await expect(table).to_contain_text("一号入口相机", timeout=AFTER_MUTATION_MS)
    [device] = await rows(db, Device)
    assert device.name == "一号入口相机"

    await settled(page)
    await table.locator("tr", has_text="一号入口相机").locator("[data-test=row-delete]").click()
    await confirm(page)
    await saved(page)
    await expect(table).not_to_contain_text("一号入口相机", timeout=AFTER_MUTATION_MS)
    assert await rows(db, Device) == []


@pytest.fixture
async def barrier() -> AsyncIterator[ModbusBarrierSimulator]:
    async with ModbusBarrierSimulator(clock=ManualClock(), travel_s=0.0, revision="2.4.1") as sim:
        yield sim


async def test_a_vzenith_camera_and_a_relay_barrier_are_registered_through_the_config_form(
    page: Page, live_api: LiveApi, db: Database, barrier: ModbusBarrierSimulator, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/devices")
    dialog = page.get_by_role("dialog")
    table = page.locator("[data-test=table]")

    # The camera: the form opens on the Vzenith type; its serial is required, comet polling and a speaker picked.
    await page.click("[data-test=new-devices]")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("东门相机")
    config = dialog.locator("[data-test=device-config]")
    await expect(config.locator("[data-test=config-type]")).to_contain_text("臻识相机")
    serial_item = config.locator(".el-form-item", has=page.locator("input[name='config.serial']"))
    await expect(serial_item).to_have_class(re.compile("is-required"))
    await expect(serial_item).to_contain_text("序列号")
    await config.locator("input[name='config.serial']").fill("VZ-WEB-01")
    await config.locator("[data-test=config-heartbeat]").click()
    await page.get_by_role("option", name="长轮询 (comet)", exact=True).click()
    await config.locator(".el-form-item", has_text="接有语音喇叭").locator(".el-switch").click()
    await page.screenshot(path=shot_path(request, "device-config-form"), full_page=True)
    # The JSON view holds what the form wrote (only what differs from the defaults) and back again.
    await config.locator("[data-test=config-mode-json]").click()
    written = json.loads(await config.locator("textarea[name=config]").input_value())
    assert written == {"type": "vzenith", "heartbeat": "comet", "speaker": True, "serial": "VZ-WEB-01"}
    await config.locator("[data-test=config-mode-form]").click()
    await expect(config.locator("input[name='config.serial']")).to_have_value("VZ-WEB-01")
    await dialog.locator("[data-test=form-submit]").click()
    await expect(page.locator("[data-test=revealed-key]")).not_to_have_value("", timeout=AFTER_MUTATION_MS)
    await page.click("[data-test=secret-saved]")
    await expect(table).to_contain_text("东门相机", timeout=AFTER_MUTATION_MS)
    [camera] = await rows(db, Device)
    assert (camera.serial, camera.protocol, camera.lot_id) == ("VZ-WEB-01", "vzenith", live_api.world.ids["lot:A1a"])
    assert (camera.config["heartbeat"], camera.config["speaker"], camera.config["io_output"]) == ("comet", True, 0)

    # The barrier: a Modbus relay board at the simulator's port, probed online; no close coil wired (blank: null).
    await settled(page)
    await page.click("[data-test=new-devices]")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "kind", "控制器")
    await dialog.locator("input[name=name]").fill("东门道闸")
    await dialog.locator("input[name=serial]").fill("RELAY-WEB-01")
    await config.locator("[data-test=config-type]").click()
    await page.get_by_role("option", name="Modbus 继电器道闸", exact=True).click()
    await config.locator("input[name='config.host']").fill("127.0.0.1")
    await config.locator("input[name='config.port']").fill(str(barrier.port))
    await config.locator("input[name='config.port']").blur()
    await config.locator("input[name='config.close_coil']").fill("")
    await config.locator("input[name='config.close_coil']").blur()
    await config.locator("input[name='config.pulse_ms']").fill("0")
    await config.locator("input[name='config.pulse_ms']").blur()
    await dialog.locator("[data-test=form-submit]").click()
    await expect(page.locator("[data-test=revealed-key]")).not_to_have_value("", timeout=AFTER_MUTATION_MS)
    await page.click("[data-test=secret-saved]")
    await expect(table).to_contain_text("东门道闸", timeout=AFTER_MUTATION_MS)
    [relay] = [d for d in await rows(db, Device) if d.name == "东门道闸"]
    assert (relay.serial, relay.protocol, relay.status, relay.firmware) == (
        "RELAY-WEB-01",
        "modbus_relay",
        DeviceStatus.ONLINE,
        "2.4.1",
    )
    assert (relay.config["host"], relay.config["port"], relay.config["pulse_ms"]) == ("127.0.0.1", barrier.port, 0)
    assert relay.config["close_coil"] is None
    await page.screenshot(path=shot_path(request, "devices-registered"), full_page=True)

    # The camera's configuration edited through the same form, read back from the API: normal heartbeats now.
    await settled(page)
    await table.locator("tr", has_text="东门相机").locator("[data-test=row-edit]").click()
    await expect(config.locator("input[name='config.serial']")).to_have_value("VZ-WEB-01")
    await config.locator("[data-test=config-heartbeat]").click()
    await page.get_by_role("option", name="普通心跳", exact=True).click()
    await dialog.locator("[data-test=form-submit]").click()
    # The dialog closes once the API answered (an earlier success message may still be showing).
    await expect(dialog).to_have_count(0, timeout=AFTER_MUTATION_MS)
    [camera] = [d for d in await rows(db, Device) if d.name == "东门相机"]
    assert (camera.serial, camera.config["heartbeat"], camera.config["speaker"]) == ("VZ-WEB-01", "normal", True)


async def test_a_lot_gets_coordinates_and_reaches_the_map(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/lots")
    await page.click("[data-test='lot-open-Lot A1a']")
    await page.click("[data-test=lot-edit]")
    dialog = page.get_by_role("dialog", name="编辑")
    await dialog.locator("input[name=latitude]").fill("31.230416")
    await dialog.locator("input[name=latitude]").blur()
    await dialog.locator("input[name=longitude]").fill("121.473701")
    await dialog.locator("input[name=longitude]").blur()
    await dialog.locator("[data-test=form-submit]").click()
    await saved(page)
    await page.screenshot(path=shot_path(request, "lot-edit"), full_page=True)
    async with db.session(Scope.internal()) as s:
        lot = await s.get(Lot, live_api.world.ids["lot:A1a"])
        assert lot is not None
        assert (round(lot.latitude or 0, 6), round(lot.longitude or 0, 6)) == (31.230416, 121.473701)


async def retention_of(db: Database, lot_id: int) -> tuple[int, int]:
    async with db.session(Scope.internal()) as s:
        lot = await s.get(Lot, lot_id)
        assert lot is not None
        return lot.image_retention_days, lot.record_retention_days


async def test_a_lot_keeps_its_pictures_and_records_as_long_as_its_manager_sets(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # given lot A1a with one stay whose entry has a picture of 2048 bytes in the server's store
    lot_id = live_api.world.ids["lot:A1a"]
    await car_inside(db, live_api.world, "A1a", "京A66666", datetime.now(UTC))
    ref = await LocalImageStore(tmp_path / "var" / "images").put(b"\xff" * 2048)
    async with db.transaction(Scope.internal()) as s:
        event = await s.scalar(select(LaneEvent).where(LaneEvent.lot_id == lot_id))
        assert event is not None
        event.image_ref = ref
    # when its manager opens the lot's 保存期限 tab: the defaults, and what the lot holds
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/lots?lot={lot_id}")
    await page.locator("[data-test=tab-retention]").click()
    form = page.locator("[data-test=retention-settings]")
    await expect(form.locator("input[name=retention-image-days]")).to_have_value("30")
    await expect(form.locator("input[name=retention-record-days]")).to_have_value("365")
    usage = page.locator("[data-test=storage-usage]")
    await expect(usage.locator("[data-test=storage-image-bytes]")).to_have_text("2.0 KB")
    await expect(usage).to_contain_text("停车记录")
    # when pictures are to outlive records: the API's reason in Chinese, with the field, and nothing written
    await form.locator("input[name=retention-image-days]").fill("400")
    await form.locator("input[name=retention-image-days]").blur()
    await form.locator("[data-test=retention-save]").click()
    error = form.locator("[data-test=retention-error]")
    await expect(error).to_contain_text("图片保存期不得长于记录保存期（365 天）", timeout=AFTER_MUTATION_MS)
    await expect(error).to_contain_text("图片保存天数")
    assert await retention_of(db, lot_id) == (30, 365)
    # when records are kept two years as well: saved
    await form.locator("input[name=retention-record-days]").fill("730")
    await form.locator("input[name=retention-record-days]").blur()
    await form.locator("[data-test=retention-save]").click()
    await saved(page)
    assert await retention_of(db, lot_id) == (400, 730)
    await page.screenshot(path=shot_path(request, "lot-retention"), full_page=True)
    async with db.session(Scope.internal()) as s:
        actions = list(await s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == lot_id)))
    assert actions.count("lot.retention_update") == 1


async def test_the_booth_takes_cash_for_a_car_and_prints_a_receipt(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    session_id = await car_inside(db, live_api.world, "A1a", "京A55555", datetime.now(UTC))
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/records/sessions")
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A55555")
    await settled(page)
    await table.locator("tr", has_text="京A55555").locator("[data-test=row-cash]").click()
    box = page.locator(".el-message-box")
    await expect(box).to_contain_text("¥6.00")
    await confirm(page)
    receipt = page.locator("[data-test=receipt-dialog]")
    await expect(receipt).to_be_visible(timeout=AFTER_MUTATION_MS)
    await expect(receipt.locator("[data-test='receipt-booth.amount']")).to_have_text("¥6.00")
    await page.screenshot(path=shot_path(request, "receipt"), full_page=True)
    [order] = await rows(db, PaymentOrder)
    assert (order.session_id, order.channel, order.amount_fen) == (session_id, PaymentChannel.CASH, 600)
    await expect(receipt.locator("[data-test='receipt-booth.order']")).to_have_text(order.out_trade_no)


async def test_a_merchants_vip_codes_are_printed_in_a_batch(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    template_id, merchant_id = await seed_template(db, live_api.world, stock_for=10)
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants/codes")
    await page.click("[data-test=vip-batch]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "merchantId", "咖啡店")
    await pick(page, "templateId", "两小时券")
    await dialog.locator("input[name=count]").fill("3")
    await dialog.locator("input[name=count]").blur()
    await submit(page)
    await expect(page.locator("[data-test=table] tbody tr")).to_have_count(3, timeout=AFTER_MUTATION_MS)
    await settled(page)
    await page.screenshot(path=shot_path(request, "vip-codes"), full_page=True)
    codes = await rows(db, ParkingCode)
    assert [(c.kind, c.merchant_id) for c in codes] == [(CodeKind.VIP, merchant_id)] * 3
    [stock] = await rows(db, CouponStock)
    assert (stock.template_id, stock.remaining) == (template_id, 7)
