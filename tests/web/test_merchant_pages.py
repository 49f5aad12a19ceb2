"""The lot's merchant pages in chromium against the real API: a coupon template created with its terms previewed
in words, a merchant created with a credit limit and another lot and then topped up and credited stock from its
account drawer, a coupon issued to a plate and voided with a reason, and a parking code created and its PDF sheet
downloaded. The database is checked after each. Screenshots go to var/test-artifacts/web/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import (
    CodeKind,
    Coupon,
    CouponKind,
    CouponStatus,
    CouponStock,
    CouponTemplate,
    LedgerKind,
    Merchant,
    MerchantLedgerEntry,
    MerchantLot,
    ParkingCode,
    StockSource,
)
from tests.factories import World
from tests.merchants import stats_seed as seed
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

# The API answers mutations on a machine shared with other test runs: waits after one are longer than the default.
AFTER_MUTATION_MS = 15_000


async def rows(db: Database, model: Any) -> list[Any]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(model).order_by(model.id)))


async def signed_in(page: Page, api: LiveApi, username: str = "custA1") -> None:
    await login(page, api, username)
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()


async def settled(page: Page) -> None:
    """The table has finished (re)loading, so a screenshot shows its rows."""
    await expect(page.locator("[data-test=table] .el-loading-mask")).to_be_hidden()


async def pick(page: Page, field: str, option: str, listbox: str | None = None) -> None:
    """Choose an option of a select in the open dialog (within the list named ``listbox`` where several lists of
    the dialog offer the same option, e.g. a lot)."""
    await page.get_by_role("dialog").locator(f"[data-test=field-{field}]").click()
    options = page.get_by_role("listbox", name=listbox, exact=True) if listbox else page
    await options.get_by_role("option", name=option, exact=True).click()


async def saved(page: Page) -> None:
    await expect(page.locator(".el-message--success").last).to_be_visible(timeout=AFTER_MUTATION_MS)


def owned(world: World, lot: str) -> dict[str, int]:
    return {
        "agent_id": world.ids[f"agent:{lot[0]}"],
        "customer_id": world.ids[f"customer:{lot[:2]}"],
        "lot_id": world.ids[f"lot:{lot}"],
    }


async def seed_template(db: Database, world: World, *, stock_for: int | None = None) -> tuple[int, int | None]:
    """A 2-hour coupon template of lot A1a at 2 yuan, a merchant of that lot, and 10 coupons of stock when asked."""
    async with db.transaction(Scope.internal()) as s:
        template = CouponTemplate(
            **owned(world, "A1a"), name="两小时券", kind=CouponKind.MINUTES, value=120, price_fen=200
        )
        merchant = Merchant(**owned(world, "A1a"), name="咖啡店")
        s.add_all([template, merchant])
        await s.flush()
        if stock_for:
            s.add(
                CouponStock(
                    **owned(world, "A1a"),
                    merchant_id=merchant.id,
                    template_id=template.id,
                    source=StockSource.CREDIT,
                    quantity=stock_for,
                    remaining=stock_for,
                )
            )
        return template.id, merchant.id


async def test_a_coupon_template_is_created_with_its_terms_previewed(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants/templates")
    await page.click("[data-test=new-couponTemplates]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("八折券")
    await pick(page, "kind", "折扣 (%)")
    # only the kind's own value field is asked for
    await expect(dialog.locator("input[name=minutes]")).to_have_count(0)
    await dialog.locator("input[name=percent]").fill("80")
    await dialog.locator("input[name=percent]").blur()
    await dialog.locator("input[name=price]").fill("1.5")
    await dialog.locator("input[name=price]").blur()
    preview = dialog.locator("[data-test=form-preview]")
    await expect(preview).to_contain_text("停车费打 8 折 (车主付 80%)")
    await expect(preview).to_contain_text("商户 1.50 元/张")
    await preview.scroll_into_view_if_needed()
    await page.screenshot(path=shot_path(request, "template-preview"), full_page=True)
    await dialog.locator("[data-test=form-submit]").click()

    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("八折券", timeout=AFTER_MUTATION_MS)
    await expect(table).to_contain_text("停车费打 8 折")
    await settled(page)
    await page.screenshot(path=shot_path(request, "templates"), full_page=True)
    [template] = await rows(db, CouponTemplate)
    assert (template.lot_id, template.name, template.kind, template.value, template.price_fen) == (
        live_api.world.ids["lot:A1a"],
        "八折券",
        CouponKind.PERCENT,
        80,
        150,
    )
    terms = (template.valid_minutes, template.max_per_stay, template.stackable, template.is_active)
    assert terms == (1440, 1, True, True)


async def test_a_merchant_is_created_topped_up_and_credited_stock(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    template_id, _ = await seed_template(db, world)
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants")
    await page.click("[data-test=new-merchants]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("书店")
    await dialog.locator("input[name=creditLimit]").fill("500")
    await dialog.locator("input[name=creditLimit]").blur()
    await pick(page, "lotIds", "Lot A1b", listbox="适用的其他车场")
    await dialog.locator("input[name=name]").click()  # closes the multiple select's dropdown
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("书店", timeout=AFTER_MUTATION_MS)
    await settled(page)

    # the account drawer: a new invite code, a top-up of 100 yuan, 10 coupons credited on account
    await table.locator("tr", has_text="书店").locator("[data-test=row-account]").click()
    drawer = page.locator("[data-test=merchant-drawer]")
    await expect(drawer.locator("[data-test=merchant-balance]")).to_have_text("0.00")
    await drawer.locator("[data-test=invite-rotate]").click()
    await page.locator(".el-message-box .el-button--primary").click()
    await saved(page)
    await drawer.locator("input[name=topUpAmount]").fill("100")
    await drawer.locator("input[name=topUpNote]").fill("现金")
    await drawer.locator("[data-test=top-up]").click()
    await expect(drawer.locator("[data-test=merchant-balance]")).to_have_text("100.00", timeout=AFTER_MUTATION_MS)
    await drawer.locator("[data-test=credit-template]").click()
    await page.get_by_role("option", name="两小时券", exact=True).click()
    await drawer.locator("input[name=creditQuantity]").fill("10")
    await drawer.locator("input[name=creditQuantity]").blur()
    await drawer.locator("[data-test=credit-stock]").click()
    await expect(drawer.locator("[data-test=merchant-balance]")).to_have_text("80.00", timeout=AFTER_MUTATION_MS)
    await expect(drawer.locator("[data-test=stocks]")).to_contain_text("两小时券")
    await expect(drawer.locator("[data-test=ledger]")).to_contain_text("充值")
    await page.screenshot(path=shot_path(request, "merchant-account"), full_page=True)

    merchant = next(m for m in await rows(db, Merchant) if m.name == "书店")
    assert (merchant.lot_id, merchant.credit_limit_fen, merchant.balance_fen) == (world.ids["lot:A1a"], 50000, 8000)
    invite = (await drawer.locator("[data-test=invite-code]").inner_text()).strip()
    assert merchant.invite_code
    assert merchant.invite_code == invite
    assert [m.lot_id for m in await rows(db, MerchantLot) if m.merchant_id == merchant.id] == [world.ids["lot:A1b"]]
    [stock] = [s for s in await rows(db, CouponStock) if s.merchant_id == merchant.id]
    assert (stock.template_id, stock.source, stock.quantity) == (template_id, StockSource.CREDIT, 10)
    assert stock.remaining == 10
    ledger = [(e.kind, e.amount_fen, e.balance_after_fen) for e in await rows(db, MerchantLedgerEntry)]
    assert ledger == [(LedgerKind.TOP_UP, 10000, 10000), (LedgerKind.CREDIT, -2000, 8000)]


async def test_a_coupon_is_issued_to_a_plate_and_voided(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    template_id, merchant_id = await seed_template(db, live_api.world, stock_for=10)
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants/coupons")
    await page.click("[data-test=new-coupons]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "merchantId", "咖啡店")
    await pick(page, "templateId", "两小时券")
    await dialog.locator("input[name=plate]").fill("京A12345")
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A12345", timeout=AFTER_MUTATION_MS)
    await expect(table).to_contain_text("免停车 2 小时")
    await expect(table).to_contain_text("已发放")
    await settled(page)
    [coupon] = await rows(db, Coupon)
    assert (coupon.merchant_id, coupon.template_id, coupon.plate, coupon.status) == (
        merchant_id,
        template_id,
        "京A12345",
        CouponStatus.ISSUED,
    )
    assert [s.remaining for s in await rows(db, CouponStock)] == [9]

    # voiding asks for a reason; the coupon is VOID and its button goes
    await table.locator("[data-test=row-void]").click()
    box = page.locator(".el-message-box")
    await box.locator("input").fill("顾客退货")
    await box.locator(".el-button--primary").click()
    await expect(table).to_contain_text("已作废", timeout=AFTER_MUTATION_MS)
    await expect(table.locator("[data-test=row-void]")).to_have_count(0)
    await settled(page)
    await page.screenshot(path=shot_path(request, "coupon-voided"), full_page=True)
    [coupon] = await rows(db, Coupon)
    assert coupon.status == CouponStatus.VOID


async def test_a_parking_code_is_created_and_its_pdf_downloaded(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants/codes")
    await page.click("[data-test=new-parkingCodes]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await pick(page, "kind", "场内码")
    await expect(dialog.locator("[data-test=form-preview]")).to_contain_text("离场前扫码缴费")
    await dialog.locator("input[name=label]").fill("B2 电梯厅")
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("B2 电梯厅", timeout=AFTER_MUTATION_MS)
    await settled(page)
    [code] = await rows(db, ParkingCode)
    assert (code.lot_id, code.kind, code.label, code.revoked_at) == (
        live_api.world.ids["lot:A1a"],
        CodeKind.IN_LOT,
        "B2 电梯厅",
        None,
    )
    assert code.expires_at.replace(tzinfo=code.expires_at.tzinfo or UTC) > datetime.now(UTC) + timedelta(days=300)

    # the QR preview is the API's SVG; the PDF arrives as a download
    await table.locator("[data-test=row-qr]").click()
    await expect(page.locator("[data-test=code-qr]")).to_be_visible(timeout=AFTER_MUTATION_MS)
    await page.screenshot(path=shot_path(request, "code-qr"), full_page=True)
    await page.keyboard.press("Escape")
    async with page.expect_download(timeout=AFTER_MUTATION_MS) as download:
        await table.locator("[data-test=row-pdf]").click()
    path = await (await download.value).path()
    assert path.read_bytes().startswith(b"%PDF")


async def test_the_statistics_page_shows_each_merchants_coupons(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    lot_id = live_api.world.ids["lot:A1a"]
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        cafe, books = await seed.merchant(s, lot_id, "咖啡店"), await seed.merchant(s, lot_id, "书店")
        tpl = await seed.template(s, lot_id)
        for _ in range(2):
            await seed.coupon(s, cafe, tpl, created=now)
        await seed.coupon(s, cafe, tpl, created=now, status=CouponStatus.REDEEMED, redeemed_at=now, discount_fen=600)
        await seed.coupon(s, books, tpl, created=now)
    await signed_in(page, live_api)
    await page.goto(f"{live_api.url}/#/merchants/stats")  # the last 30 days of every lot, loaded on opening
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("咖啡店", timeout=AFTER_MUTATION_MS)
    await settled(page)
    await expect(page.locator("[data-test=mstats-chart] canvas")).to_have_count(1)
    await page.screenshot(path=shot_path(request, "merchant-stats"), full_page=True)

    # the page's figures are the database's: coupons issued per merchant, the one redeemed and its discount
    shown = {}
    for row in await table.locator("tbody tr").all():
        cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
        shown[cells[0]] = cells[1:6]
    issued: dict[int, int] = {}
    for c in await rows(db, Coupon):
        issued[c.merchant_id] = issued.get(c.merchant_id, 0) + 1
    assert shown == {
        "咖啡店": [str(issued[cafe.id]), "1", "0", "0", "6.00"],
        "书店": [str(issued[books.id]), "0", "0", "0", "0.00"],
    }
