"""The mini-program's 交接班 page in chromium (H5 build against the real API): a booth cashier (cash.collect only)
opens a shift on a lot and lane, takes cash for a stay through the API while it is open, sees it recorded, is told
in Chinese when the count is not an amount, and closes the shift reading the handover summary; the database holds
the shift as closed with the count in fen. Screenshots go to var/test-artifacts/miniprogram/."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

import tests.miniprogram.test_operator_pages as pages
from parking.common.database import Database
from parking.payments.models import PaymentChannel, PaymentOrder
from parking.reports.shift_models import CashierShift
from tests.factories import PASSWORD
from tests.miniprogram.test_operator_pages import AFTER_ACTION_MS, fill, open_page, rows, shot, sign_in, tap
from tests.reports.details_seed import add_cashier
from tests.web.conftest import LiveApi
from tests.web.test_payments_pages import car_inside

pytestmark = pytest.mark.browser

# test_operator_pages' fixtures: the live API with the H5 build and the fakes, chromium at a phone's size.
server_process = pages.server_process
browser = pages.browser
fake_channels = pages.fake_channels
live_api = pages.live_api
phone = pages.phone

LOGIN = (
    """mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { ... on LoginSuccess { token } } }"""
)
CASH = """mutation ($id: ID!, $fen: Fen!) {
  paymentRecordCash(sessionId: $id, amountFen: $fen) { __typename ... on PaymentError { code } }
}"""


def _cash_at_the_booth(api: LiveApi, session_id: int) -> dict[str, Any]:
    """The cashier, signed in on the booth's own device, takes the 6 yuan the stay owes in cash."""
    login = httpx.post(
        f"{api.url}/graphql", json={"query": LOGIN, "variables": {"u": "cashier", "p": PASSWORD}}, timeout=10
    )
    token = login.json()["data"]["login"]["token"]
    paid: Any = api.gql(CASH, {"id": str(session_id), "fen": 600}, token=token)
    result: dict[str, Any] = paid["data"]["paymentRecordCash"]
    return result


async def test_a_cashier_opens_a_shift_takes_cash_and_hands_over(
    phone: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    cashier = await add_cashier(db, world)
    lot_id, lane_id = world.ids["lot:A1a"], world.ids["lane:A1a"]
    stay = await car_inside(db, world, "A1a", "京A12345", datetime.now(UTC))

    # the staff home leads to the shift page, where the cashier has no shift yet
    await sign_in(phone, live_api, "cashier")
    await tap(phone, "staff-shift")
    await expect(phone.locator("[data-test=shift-new]")).to_contain_text("您还没有开班", timeout=AFTER_ACTION_MS)
    await tap(phone, "shift-start")
    await expect(phone.locator("[data-test=shift-error]")).to_have_text("请选择车场")
    await phone.locator(f"[data-test=shift-lot-{lot_id}]").click()
    await phone.locator(f"[data-test=shift-lane-{lane_id}]").click()
    await tap(phone, "shift-start")
    shift = phone.locator("[data-test=shift-open]")
    await expect(shift.locator("[data-test=shift-place]")).to_have_text("Lot A1a · In A1a", timeout=AFTER_ACTION_MS)
    await expect(shift.locator("[data-test=shift-recorded]")).to_have_text("¥0.00 · 0 笔")

    # cash taken while the shift is open shows on the page when it is opened again
    assert (await asyncio.to_thread(_cash_at_the_booth, live_api, stay))["__typename"] == "PaymentCashSuccess"
    await open_page(phone, live_api, "pages-staff/shift/shift")
    await expect(shift.locator("[data-test=shift-recorded]")).to_have_text("¥6.00 · 1 笔", timeout=AFTER_ACTION_MS)
    await phone.screenshot(path=shot(request, "open"), full_page=True)

    # a count that is not an amount of yuan is refused on the phone, and the shift stays open
    await fill(phone, "shift-counted", "5.555")
    await tap(phone, "shift-close")
    await expect(phone.locator("[data-test=shift-error]")).to_have_text("请输入正确的金额（元，最多两位小数）")
    [still_open] = await rows(db, CashierShift)
    assert still_open.closed_at is None

    # the drawer holds 5.50 yuan: the handover shows 0.50 short
    await fill(phone, "shift-counted", "5.5")
    await fill(phone, "shift-note", "少收五角")
    await tap(phone, "shift-close")
    summary = phone.locator("[data-test=shift-summary]")
    await expect(summary.locator("[data-test=summary-recorded]")).to_have_text("¥6.00 · 1 笔", timeout=AFTER_ACTION_MS)
    await expect(summary.locator("[data-test=summary-counted]")).to_have_text("¥5.50")
    await expect(summary.locator("[data-test=summary-difference]")).to_have_text("¥-0.50")
    await expect(summary.locator("[data-test=summary-releases]")).to_have_text("免费放行 0 辆，手动放行 0 辆")
    await expect(phone.locator("[data-test=shift-new]")).to_be_visible()
    await phone.screenshot(path=shot(request, "handover"), full_page=True)

    [closed] = await rows(db, CashierShift)
    assert (closed.operator_id, closed.lot_id, closed.lane_id, closed.counted_cash_fen, closed.note) == (
        cashier,
        lot_id,
        lane_id,
        550,
        "少收五角",
    )
    assert closed.closed_at is not None
    assert closed.closed_by_id == cashier
    [order] = await rows(db, PaymentOrder)
    assert (order.channel, order.amount_fen, order.operator_id) == (PaymentChannel.CASH, 600, cashier)
