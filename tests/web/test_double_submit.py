"""Double submission in chromium against the real API: a refund asked for with a double-click on the dialog's
button, then with an Enter pressed twice, makes one refund row each (the database is checked after each).

The outside run that showed two "退款申请已提交" messages at once was two requests the finance pages test makes on
purpose (2.50 and then 1.00 yuan) within the first message's three seconds; its database check pins exactly two
refund rows. But a second Enter did send a second request before the guard: when the first came back quickly, the
second landed on the dialog still fading out with the same values. Both paths are pinned here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.payments.models import Refund, RefundStatus
from tests.web.conftest import LiveApi, login, shot_path
from tests.web.test_payments_pages import AFTER_MUTATION_MS, message, paid_cash_order

pytestmark = pytest.mark.browser


async def refund_rows(db: Database, order_id: int) -> list[tuple[int, str, RefundStatus]]:
    async with db.session(Scope.internal()) as s:
        refunds = await s.scalars(select(Refund).where(Refund.order_id == order_id).order_by(Refund.id))
        return [(r.amount_fen, r.reason, r.status) for r in refunds]


async def test_a_double_click_on_a_refund_request_sends_one_request(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    order_id = await paid_cash_order(db, live_api.world, "A1a", "京A11111", datetime.now(UTC))
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/orders")
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A11111")

    await table.locator("[data-test=refund-request]").click()
    dialog = page.get_by_role("dialog")
    await dialog.locator("input[name=amount]").fill("2.5")
    await dialog.locator("input[name=reason]").fill("重复收费")
    await dialog.locator("[data-test=money-submit]").dblclick()
    await message(page, "success", "退款申请已提交")
    await expect(dialog).to_be_hidden(timeout=AFTER_MUTATION_MS)
    assert await refund_rows(db, order_id) == [(250, "重复收费", RefundStatus.REQUESTED)]

    # An Enter pressed twice in a field is one request too.
    await table.locator("[data-test=refund-request]").click()
    await dialog.locator("input[name=amount]").fill("1")
    await dialog.locator("input[name=reason]").fill("停车费争议")
    await dialog.locator("input[name=reason]").press("Enter")
    await dialog.locator("input[name=reason]").press("Enter")
    await message(page, "success", "退款申请已提交")
    await page.screenshot(path=shot_path(request, "refund-double-click"), full_page=True)
    # When the answer came back first, the closing dialog may give the focus back to the row's button and the second
    # Enter press that: a blank dialog opens, and nothing is sent (the rows below say so). Whichever dialog is still
    # showing (the one fading out or a blank one) is closed.
    if await dialog.is_visible():
        await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden(timeout=AFTER_MUTATION_MS)
    assert await refund_rows(db, order_id) == [
        (250, "重复收费", RefundStatus.REQUESTED),
        (100, "停车费争议", RefundStatus.REQUESTED),
    ]
