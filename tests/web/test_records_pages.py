"""Parking records with pictures in chromium against the live API: a stay's row names its lot and lanes and shows
its entry and exit pictures and plate crop (fetched with the operator's token), a thumbnail enlarges in a viewer,
and the stay's drawer lists its lane readings, its order and refund, and the operator's plate correction. The
database is checked after: the page showed the stay as stored, and looking changed nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.images import LocalImageStore
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose, Refund
from parking.sessions.enums import EventKind, SessionState
from parking.sessions.models import LaneEvent, ParkingSession
from parking.tenancy.enums import LaneDirection
from parking.tenancy.models import Lane
from tests.factories import World
from tests.recognition.world_tasks import lane_picture, seed_task
from tests.web.conftest import LiveApi, login, shot_path
from tests.web.test_recognition_pages import images_of

pytestmark = pytest.mark.browser

CORRECT = """mutation ($id: ID!, $plate: String!) {
  sessionCorrectPlate(sessionId: $id, plate: $plate, reason: "车牌识别错误") { __typename } }"""


async def left_by_the_exit(db: Database, world: World, stay_id: int, images: Path) -> None:
    """The stay leaves lot A1a by a new exit lane, read with a picture, after paying 6 yuan (1 yuan refunded)."""
    lot = world.ids["lot:A1a"]
    tenant = {"agent_id": world.ids["agent:A"], "customer_id": world.ids["customer:A1"], "lot_id": lot}
    at = utcnow()
    jpeg, _ = lane_picture("EXIT A1a")
    exit_ref = await LocalImageStore(images).put(jpeg, at)
    async with db.transaction(Scope.internal()) as s:
        lane = Lane(**tenant, name="Out A1a", direction=LaneDirection.EXIT, qr_token="qr-out-A1a")
        s.add(lane)
        await s.flush()
        stay = await s.get(ParkingSession, stay_id)
        assert stay is not None
        s.add(
            LaneEvent(
                **tenant,
                lane_id=lane.id,
                session_id=stay_id,
                kind=EventKind.EXIT,
                at=at,
                received_at=at,
                plate=stay.plate,
                image_ref=exit_ref,
                opened=True,
                dedup_key="records-exit",
            )
        )
        stay.exit_at, stay.exit_lane_id, stay.state, stay.paid_fen = at, lane.id, SessionState.EXITED, 600
        order = PaymentOrder(
            **tenant,
            out_trade_no="RECORDS-1",
            channel=PaymentChannel.WECHAT_JSAPI,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            session_id=stay_id,
            plate=stay.plate,
            amount_fen=600,
            created_at=at - timedelta(minutes=1),
            paid_at=at - timedelta(minutes=1),
        )
        s.add(order)
        await s.flush()
        s.add(Refund(**tenant, order_id=order.id, out_refund_no="R-RECORDS-1", amount_fen=100, reason="多收"))


async def test_a_record_shows_its_pictures_and_its_drawer_the_stays_history(
    page: Page, live_api: LiveApi, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    task = await seed_task(db, world, "A1a", ["京A12345", "京A12845"], images_of(tmp_path))
    assert task.session_id is not None
    fixed = live_api.gql(CORRECT, {"id": str(task.session_id), "plate": "京A12845"}, token=world.tokens["platform"])
    assert fixed == {"data": {"sessionCorrectPlate": {"__typename": "SessionSuccess"}}}, fixed
    await left_by_the_exit(db, world, task.session_id, images_of(tmp_path))

    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    async with db.session(Scope.internal()) as s:
        audit_before = await s.scalar(select(func.count()).select_from(AuditEntry))
    await page.goto(f"{live_api.url}/#/records/sessions")
    row = page.locator("[data-test=table] tbody tr", has_text="京A12845")
    await expect(row).to_contain_text("Lot A1a")
    await expect(row).to_contain_text("In A1a")
    await expect(row).to_contain_text("Out A1a")
    # Entry, exit and the plate crop, each fetched with the token and shown from a blob.
    pictures = row.locator("[data-test=thumbs] img[data-test=image]")
    await expect(pictures).to_have_count(3)
    for i in range(3):
        assert (await pictures.nth(i).get_attribute("src") or "").startswith("blob:")
    await pictures.first.click()
    viewer = page.locator(".el-image-viewer__wrapper")
    await expect(viewer).to_be_visible()
    await page.screenshot(path=shot_path(request, "record-picture-enlarged"))
    await page.keyboard.press("Escape")
    await expect(viewer).to_be_hidden()
    await page.screenshot(path=shot_path(request, "records"), full_page=True)

    await row.locator("[data-test=stay-open]").click()
    drawer = page.locator("[data-test=stay-drawer]")
    await expect(drawer).to_contain_text("京A12845")
    events = drawer.locator("[data-test=stay-events] tbody tr")
    await expect(events).to_have_count(2)
    await expect(events.nth(0)).to_contain_text("In A1a")
    await expect(events.nth(1)).to_contain_text("Out A1a")
    await expect(drawer.locator("[data-test=stay-events] img[data-test=image]")).to_have_count(2)
    await expect(drawer.locator("[data-test=stay-orders]")).to_contain_text("RECORDS-1")
    await expect(drawer.locator("[data-test=stay-refunds]")).to_contain_text("多收")
    await expect(drawer.locator("[data-test=stay-actions]")).to_contain_text("session.correct_plate")
    await expect(drawer.locator("[data-test=stay-coupons]")).to_contain_text("无")
    await page.screenshot(path=shot_path(request, "record-drawer"), full_page=True)

    # The page showed the stay as stored; looking at it wrote nothing.
    async with db.session(Scope.internal()) as s:
        stay = await s.get(ParkingSession, task.session_id)
        audit_after = await s.scalar(select(func.count()).select_from(AuditEntry))
        actions = list(
            await s.scalars(
                select(AuditEntry.action).where(
                    AuditEntry.entity == "parking_session", AuditEntry.entity_id == task.session_id
                )
            )
        )
    assert stay is not None
    assert (stay.plate, stay.state, stay.paid_fen) == ("京A12845", SessionState.EXITED, 600)
    assert actions == ["session.correct_plate"]
    assert audit_after == audit_before
