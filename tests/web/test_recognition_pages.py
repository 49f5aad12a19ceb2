"""The correction queue, fault tickets and device operations in chromium against the live API, each checked in the
database afterwards: a seat picks a recognition candidate with the keyboard and the stay's plate is fixed; a
refused resolve shows the API's code; a customer's operator sees only its own tasks; a technician opens a ticket
from an alarm and another by hand, assigns it, sees the photo the lot's staff attached and closes it; a reboot
reaches a real Modbus barrier; a rotated secret is shown once and is the device's; a heartbeat turns a device
online on the page live, and a push from an unknown serial is listed as refused. Screenshots go to
var/test-artifacts/web/."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.async_api import Page, expect
from sqlalchemy import select

from hardware.base import ManualClock
from hardware.simulators.modbus_barrier import ModbusBarrierSimulator
from parking.alarms.models import Alarm, AlarmKind, AlarmSeverity
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import (
    Device,
    DeviceCommand,
    DeviceCommandKind,
    DeviceCommandStatus,
    DeviceKind,
    DeviceStatus,
)
from parking.faults.models import FaultStatus, FaultTicket
from parking.recognition.models import PlateRecognition, RecognitionStatus
from parking.sessions.models import ParkingSession
from parking.tenancy.models import Lot
from tests.factories import World
from tests.recognition.world_tasks import SeededTask, seed_task
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

RESOLVE = """
mutation ($id: ID!, $plate: String!) {
  correctionTaskResolve(id: $id, plate: $plate) { __typename ... on RecognitionError { code } }
}
"""


def images_of(tmp_path: Path) -> Path:
    """Where the live API keeps lane images (tests.web.conftest runs it with PARKCLOUD_VAR_DIR=tmp_path/var)."""
    return tmp_path / "var" / "images"


async def signed_in(page: Page, api: LiveApi, username: str, path: str) -> None:
    await login(page, api, username)
    await expect(page.get_by_role("menubar", name="menu")).to_be_visible()
    await page.goto(f"{api.url}/#{path}")


async def task_row(db: Database, task: SeededTask) -> PlateRecognition:
    async with db.session(Scope.internal()) as s:
        row = await s.get(PlateRecognition, task.task_id)
        assert row is not None
        return row


async def stay_plate(db: Database, task: SeededTask) -> str:
    assert task.session_id is not None
    async with db.session(Scope.internal()) as s:
        stay = await s.get(ParkingSession, task.session_id)
        assert stay is not None
        return stay.plate


async def test_a_seat_picks_a_candidate_with_the_keyboard_and_the_stay_is_fixed(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    task = await seed_task(db, world, "A1a", ["京A12345", "京A12845"], images_of(tmp_path))
    assert await stay_plate(db, task) == "京A12345"

    await signed_in(page, live_api, "custA1", "/recognition/corrections")
    panel = page.locator("[data-test=task]")
    await expect(page.locator("[data-test=task-list] [role=option]")).to_have_count(1)
    await expect(panel.locator("[data-test=candidates]")).to_contain_text("京A12845")
    await expect(panel.locator("[data-test=candidates]")).to_contain_text("plate-crnn")
    # The lane picture and the plate crop are fetched with the operator's token and really shown.
    pictures = panel.locator("img[data-test=image]")
    await expect(pictures).to_have_count(2)
    await page.wait_for_function(
        "() => [...document.querySelectorAll('[data-test=task] img[data-test=image]')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    widths = await pictures.evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert widths == [640, 200]
    # A typo is caught before anything is sent.
    plate = panel.locator("input[name=plate]")
    await plate.fill("京A1234")
    await expect(panel.locator("[data-test=plate-problem]")).to_have_text("车牌太短 (至少 7 位)")
    await expect(panel.locator("[data-test=resolve]")).to_be_disabled()
    await plate.blur()

    await page.keyboard.press("2")
    await expect(plate).to_have_value("京A12845")
    await page.screenshot(path=shot_path(request, "correction-picked"), full_page=True)
    await page.keyboard.press("Enter")
    await expect(page.locator(".el-message--success")).to_contain_text("京A12845")
    await expect(page.locator("[data-test=queue-empty]")).to_be_visible()
    await page.screenshot(path=shot_path(request, "correction-queue-empty"), full_page=True)

    row = await task_row(db, task)
    assert (row.status, row.plate, row.resolved_by_id) == (
        RecognitionStatus.CORRECTED,
        "京A12845",
        world.ids["operator:custA1"],
    )
    assert row.resolved_at is not None
    assert await stay_plate(db, task) == "京A12845"


async def test_a_task_resolved_elsewhere_shows_the_apis_conflict_and_leaves_the_queue(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    task = await seed_task(db, world, "A1a", ["京A54321", "京A54821"], images_of(tmp_path))
    await signed_in(page, live_api, "custA1", "/recognition/corrections")
    await expect(page.locator("[data-test=task] [data-test=candidates]")).to_contain_text("京A54821")

    # Another seat resolves it first.
    body: dict[str, Any] = live_api.gql(
        RESOLVE, {"id": str(task.task_id), "plate": "京A54321"}, token=world.tokens["platform"]
    )
    assert body["data"]["correctionTaskResolve"]["__typename"] == "CorrectionTaskSuccess"

    await page.keyboard.press("2")
    await page.keyboard.press("Enter")
    await expect(page.locator(".el-message--error")).to_contain_text("状态冲突 (CONFLICT)")
    await expect(page.locator("[data-test=queue-empty]")).to_be_visible()
    await page.screenshot(path=shot_path(request, "correction-conflict"), full_page=True)
    # The first seat's answer stands.
    assert (await task_row(db, task)).plate == "京A54321"
    assert await stay_plate(db, task) == "京A54321"


async def test_a_customer_operator_sees_only_its_own_customers_tasks(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    mine = await seed_task(db, world, "A1b", ["京A11111", "京A11117"], images_of(tmp_path))
    theirs = await seed_task(db, world, "A2a", ["沪B22222", "沪B22228"], images_of(tmp_path))

    await signed_in(page, live_api, "custA1", "/recognition/corrections")
    listed = page.locator("[data-test=task-list] [role=option]")
    await expect(listed).to_have_count(1)
    await expect(listed.first).to_have_attribute("data-task", str(mine.task_id))
    await expect(page.locator("[data-test=task-list]")).not_to_contain_text("沪B22222")
    await page.screenshot(path=shot_path(request, "correction-own-customer"), full_page=True)
    # Asked for by id (a link from another tenant's console), the foreign task is not shown either.
    await page.goto(f"{live_api.url}/#/recognition/corrections?task={theirs.task_id}")
    await expect(listed).to_have_count(1)
    await expect(page.locator("[data-test=task] [data-test=candidates]")).to_contain_text("京A11117")
    # On a tablet the queue sits above the task, and candidates stay large enough to tap.
    await page.set_viewport_size({"width": 820, "height": 1180})
    box = await page.locator("[data-candidate='1']").bounding_box()
    assert box is not None
    assert box["height"] >= 40
    await page.screenshot(path=shot_path(request, "correction-tablet"), full_page=True)
    # Their picture is refused to this operator even with its ref.
    token = world.tokens["custA1"]
    async with httpx.AsyncClient(base_url=live_api.url, timeout=10) as http:
        response = await http.get(f"/api/images/{theirs.image_ref}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404


async def test_the_console_offers_a_lanes_recognition_candidates_and_links_the_queue(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    task = await seed_task(db, world, "A1a", ["京A67890", "京A67898"], images_of(tmp_path))
    await signed_in(page, live_api, "lotA1a", "/console")
    tile = page.locator("[data-test=lane-grid] .tile").first
    # The tile shows the reading's picture, fetched with the operator's token.
    await expect(tile.locator("img[data-test=image]")).to_have_count(1)
    await page.wait_for_function(
        "() => { const i = document.querySelector('.tile img'); return i && i.complete && i.naturalWidth === 640 }"
    )
    await tile.click()
    offered = page.locator("[data-test=recognition-candidates]")
    await expect(offered).to_contain_text("1. 京A67890")
    await expect(offered).to_contain_text("2. 京A67898")
    link = offered.locator("[data-test=open-queue]")
    await expect(link).to_have_attribute(
        "href", f"#/recognition/corrections?task={task.task_id}&lot={world.ids['lot:A1a']}"
    )
    await page.screenshot(path=shot_path(request, "console-recognition"), full_page=True)

    await page.keyboard.press("2")
    await expect(page.locator(".el-message--success")).to_contain_text("京A67898")
    await expect(offered).to_be_hidden()
    row = await task_row(db, task)
    assert (row.status, row.plate, row.resolved_by_id) == (
        RecognitionStatus.CORRECTED,
        "京A67898",
        world.ids["operator:lotA1a"],
    )
    assert await stay_plate(db, task) == "京A67898"


async def add_alarm(db: Database, world: World, device_id: int) -> int:
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        alarm = Alarm(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            kind=AlarmKind.DEVICE_OFFLINE,
            severity=AlarmSeverity.CRITICAL,
            raised_at=utcnow(),
            device_id=device_id,
            message="道闸控制器离线",
        )
        s.add(alarm)
        await s.flush()
        return alarm.id


async def add_device(
    db: Database,
    world: World,
    name: str,
    serial: str,
    *,
    kind: DeviceKind = DeviceKind.CONTROLLER,
    config: dict[str, Any] | None = None,
    status: DeviceStatus = DeviceStatus.ONLINE,
    secret: str = "",
) -> int:
    async with db.transaction(Scope.internal()) as s:
        lot = await s.get(Lot, world.ids["lot:A1a"])
        assert lot is not None
        device = Device(
            agent_id=lot.agent_id,
            customer_id=lot.customer_id,
            lot_id=lot.id,
            lane_id=world.ids["lane:A1a"],
            kind=kind,
            name=name,
            serial=serial,
            protocol="modbus" if config else "",
            config=config or {},
            status=status,
            secret_hash=hash_secret(secret) if secret else "",
        )
        s.add(device)
        await s.flush()
        return device.id


def fault_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()


async def tickets(db: Database) -> list[FaultTicket]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(FaultTicket).order_by(FaultTicket.id)))


async def test_a_technician_opens_tickets_assigns_and_closes_one(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    device_id = await add_device(db, world, "东门道闸", "GATE-A1a")
    alarm_id = await add_alarm(db, world, device_id)
    me = world.ids["operator:custA1"]

    # From the alarm records: lot and device come from the alarm.
    await signed_in(page, live_api, "custA1", "/records/alarms")
    await page.locator("[data-test=table] tr", has_text="道闸控制器离线").locator("[data-test=alarm-ticket]").click()
    box = page.locator(".el-message-box")
    await expect(box.locator("input")).to_have_value("道闸控制器离线")
    await box.locator(".el-button--primary").click()
    await expect(page.locator(".el-message--success")).to_contain_text("已创建故障工单")
    [from_alarm] = await tickets(db)
    assert (from_alarm.alarm_id, from_alarm.device_id, from_alarm.lot_id, from_alarm.status) == (
        alarm_id,
        device_id,
        world.ids["lot:A1a"],
        FaultStatus.OPEN,
    )
    # A second ticket for the same alarm is refused with the API's code.
    await page.locator("[data-test=table] tr", has_text="道闸控制器离线").locator("[data-test=alarm-ticket]").click()
    await page.locator(".el-message-box .el-button--primary").click()
    await expect(page.locator(".el-message--error")).to_contain_text("DUPLICATE")

    # By hand, on the tickets page.
    await page.goto(f"{live_api.url}/#/faults")
    await page.click("[data-test=create]")
    dialog = page.get_by_role("dialog")
    await dialog.locator("[data-test=field-lotId]").click()
    await page.get_by_role("option", name="Lot A1a").click()
    await dialog.locator("[data-test=field-deviceId]").click()
    await page.get_by_role("option", name="东门道闸").click()
    await dialog.locator("input[name=title]").fill("抬杆后不落杆")
    await dialog.locator("textarea[name=description]").fill("地感线圈疑似损坏")
    await dialog.locator("[data-test=form-submit]").click()
    row = page.locator("[data-test=table] tr", has_text="抬杆后不落杆")
    await expect(row).to_contain_text("待处理")
    await expect(row).to_contain_text("东门道闸")

    await row.locator("[data-test=ticket-edit]").click()
    edit = page.locator("[data-test=ticket-dialog]")
    await expect(edit.locator("[data-test=ticket-photos]")).to_have_count(0)
    # Meanwhile the lot's staff attach a photo from the mini-program: the saved list brings it along.
    photo = fault_photo()
    async with httpx.AsyncClient(base_url=live_api.url) as http:
        uploaded = await http.post(
            f"/api/faults/{(await tickets(db))[1].id}/photos",
            files={"file": ("gate.jpg", photo, "image/jpeg")},
            headers={"Authorization": f"Bearer {world.tokens['lotA1a']}"},
        )
    assert uploaded.status_code == 201
    await edit.locator("[data-test=assign-me]").click()
    await edit.locator("[data-test=ticket-save]").click()
    await expect(row).to_contain_text("已指派")
    manual = (await tickets(db))[1]
    assert (manual.status, manual.assignee_id, manual.reported_by_id) == (FaultStatus.ASSIGNED, me, me)

    await row.locator("[data-test=ticket-edit]").click()
    shown = edit.locator("[data-test=ticket-photos] img[data-test=image]")
    await expect(shown).to_have_count(1)
    assert await shown.evaluate("img => img.complete && img.naturalWidth") == 64
    await edit.locator("[data-status=CLOSED]").click()
    # Closing says what was done.
    await edit.locator("[data-test=ticket-save]").click()
    # Found by its text: the DUPLICATE message above may still be fading out on a busy machine.
    await expect(page.locator(".el-message--error", has_text="处理结果")).to_be_visible()
    await edit.locator("textarea[name=resolution]").fill("更换地感线圈, 测试正常")
    await edit.locator("[data-test=ticket-save]").click()
    await expect(row).to_contain_text("已关闭")
    await page.screenshot(path=shot_path(request, "fault-ticket-closed"), full_page=True)

    closed = (await tickets(db))[1]
    assert (closed.title, closed.description, closed.device_id, closed.status, closed.resolution) == (
        "抬杆后不落杆",
        "地感线圈疑似损坏",
        device_id,
        FaultStatus.CLOSED,
        "更换地感线圈, 测试正常",
    )
    assert closed.resolved_at is not None


@pytest.fixture
async def barrier() -> AsyncIterator[ModbusBarrierSimulator]:
    async with ModbusBarrierSimulator(clock=ManualClock(), travel_s=0.0, revision="2.4.1") as sim:
        yield sim


async def test_device_operations_reboot_rotate_live_status_and_refused_pushes(
    page: Page, live_api: LiveApi, db: Database, barrier: ModbusBarrierSimulator, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    config = {
        "type": "modbus_relay",
        "host": "127.0.0.1",
        "port": barrier.port,
        "pulse_ms": 0,
        "timeout_s": 2.0,
        "power_coil": 3,
        "power_off_s": 0,
    }
    gate = await add_device(db, world, "东门道闸", "RELAY-A1a", config=config)
    booth = await add_device(
        db, world, "岗亭终端", "BOOTH-A1a", kind=DeviceKind.BOOTH_TERMINAL, status=DeviceStatus.OFFLINE, secret="s3"
    )

    await signed_in(page, live_api, "platform", "/devices")
    await expect(page.locator("[data-test=live-status]")).to_have_attribute("data-state", "live")
    table = page.locator("[data-test=table]").first
    booth_row = table.locator("tr", has_text="岗亭终端")
    await expect(booth_row).to_contain_text("离线")

    # A booth terminal only reports its status: its drawer offers no command.
    await booth_row.locator("[data-test=device-commands]").click()
    drawer = page.locator("[data-test=commands-drawer]")
    await expect(drawer.locator("[data-test=command-none]")).to_be_visible()
    await expect(drawer.locator("[data-test=command-form]")).to_have_count(0)
    await page.keyboard.press("Escape")
    await expect(drawer).to_be_hidden()

    # The barrier's relay offers what it is wired for (no whitelist: that is a camera's); reboot it, confirmed,
    # and follow it to its result.
    await table.locator("tr", has_text="东门道闸").locator("[data-test=device-commands]").click()
    await drawer.locator("[data-test=command-kind]").click()
    await expect(page.get_by_role("option")).to_have_text(["开闸", "关闸", "重启"])
    await page.get_by_role("option", name="重启", exact=True).click()
    await drawer.locator("input[name=reason]").fill("抬杆卡住")
    await drawer.locator("[data-test=command-send]").click()
    await expect(page.locator(".el-message-box")).to_contain_text("重启")
    await page.locator(".el-message-box .el-button--primary").click()
    await expect(page.locator(".el-message--success")).to_contain_text("命令已发送")
    await expect(drawer.locator("[data-test=command-list] [data-status=DONE]")).to_have_count(1, timeout=20_000)
    await page.screenshot(path=shot_path(request, "device-reboot-done"), full_page=True)
    async with db.session(Scope.internal()) as s:
        [command] = list(await s.scalars(select(DeviceCommand)))
    assert (command.device_id, command.kind, command.reason, command.operator_id, command.status) == (
        gate,
        DeviceCommandKind.REBOOT,
        "抬杆卡住",
        world.ids["operator:platform"],
        DeviceCommandStatus.DONE,
    )
    assert barrier.physics.power_cycles == 1
    await page.keyboard.press("Escape")
    await expect(drawer).to_be_hidden()

    # A new push secret, shown once, is the one the device now checks.
    await booth_row.locator("[data-test=device-rotate]").click()
    await page.locator(".el-message-box .el-button--primary").click()
    secret = (await page.locator("[data-test=secret]").inner_text()).strip()
    assert len(secret) >= 20
    await page.screenshot(path=shot_path(request, "device-secret"), full_page=True)
    await page.click("[data-test=secret-done]")
    async with db.session(Scope.internal()) as s:
        device = await s.get(Device, booth)
        assert device is not None
        assert device.secret_hash == hash_secret(secret)

    # The booth's heartbeat with the new secret turns it online on the page without a reload.
    async with httpx.AsyncClient(base_url=live_api.url, timeout=10) as http:
        beat = await http.post("/devices/heartbeat", json={"serial": "BOOTH-A1a"}, headers={"X-Device-Secret": secret})
        assert beat.json() == {"ok": True, "status": "online"}
        await expect(booth_row).to_contain_text("在线")

        # A push from a serial nobody registered is listed as refused.
        stranger = await http.post("/devices/heartbeat", json={"serial": "NOBODY-1"}, headers={"X-Device-Secret": "x"})
        assert stranger.status_code == 401
    await page.get_by_role("tab", name="被拒绝的推送").click()
    refused = page.locator("[data-test=table]").last
    await expect(refused).to_contain_text("NOBODY-1")
    await page.screenshot(path=shot_path(request, "device-refusals"), full_page=True)
