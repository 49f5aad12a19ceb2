"""End to end in chromium: a lot's payment settings edited in the lots drawer, and the catalogue pages (plate
lists, pass products, partner API keys) creating real rows; each checked in the database afterwards, and tenancy
isolation on the lists page. Screenshots go to var/test-artifacts/web/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from parking.accounts.models import ApiKey
from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.models import Merchant
from parking.tenancy.enums import VehicleCategory
from parking.tenancy.models import Customer, Lot
from parking.tenancy.payment_settings import LotPaymentSettings
from parking.vehicles.enums import PassPeriod
from parking.vehicles.models import ListEntry, PassProduct, VehicleGroup
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser


async def settings_of(db: Database, lot_id: int) -> dict[str, Any]:
    async with db.session(Scope.internal()) as s:
        lot = await s.get(Lot, lot_id)
        assert lot is not None
        return dict(lot.payment_settings)


async def rows(db: Database, model: Any) -> list[Any]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(model).order_by(model.id)))


async def signed_in(page: Page, api: LiveApi, username: str) -> None:
    await login(page, api, username)
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()


async def settled(page: Page) -> None:
    """The table has finished (re)loading, so a screenshot shows its rows."""
    await expect(page.locator("[data-test=table] .el-loading-mask")).to_be_hidden()


async def pick(page: Page, field: str, option: str) -> None:
    """Choose an option of a select in the open dialog."""
    await page.get_by_role("dialog").locator(f"[data-test=field-{field}]").click()
    await page.get_by_role("option", name=option, exact=True).click()


async def test_payment_settings_are_edited_in_the_lots_drawer_and_a_bad_value_changes_nothing(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    lot_id = live_api.world.ids["lot:A1a"]
    await signed_in(page, live_api, "custA1")
    await page.goto(f"{live_api.url}/#/lots")
    await page.click("[data-test='lot-open-Lot A1a']")
    drawer = page.locator(".el-drawer")
    await expect(drawer.locator("[data-test=lane-qr]")).to_have_count(1)
    await drawer.locator("[data-test=tab-payment]").click()
    form = drawer.locator("[data-test=payment-settings]")
    await expect(form.locator("input[name=pay-template-id]")).to_have_value("")

    # when the operator turns frictionless payment on and names the entry template
    await form.locator("[data-test=pay-frictionless]").click()
    await form.locator("input[name=pay-template-id]").fill("TPL_ENTRY_1")
    await form.locator("input[name=pay-no-entry-fee]").fill("25")
    await form.locator("input[name=pay-no-entry-fee]").blur()
    await form.locator("[data-test=pay-save]").click()
    await expect(page.locator(".el-message--success")).to_contain_text("支付设置已保存")
    await page.screenshot(path=shot_path(request, "payment-settings-saved"), full_page=True)

    # then the lot's settings hold them (defaults are not written down)
    saved = await settings_of(db, lot_id)
    assert saved == {"frictionless": True, "entry_template_id": "TPL_ENTRY_1", "no_entry_fee_fen": 2500}
    effective = LotPaymentSettings.of(saved)
    assert (effective.frictionless_advance, effective.fee_rate_ppm, effective.min_confidence) == (False, 6000, 0.7)

    # when a template id the API refuses is saved, the error names the field and nothing is stored
    await form.locator("input[name=pay-template-id]").fill("bad id!")
    await form.locator("[data-test=pay-frictionless]").click()
    await form.locator("[data-test=pay-save]").click()
    await expect(form.locator("[data-test=pay-error]")).to_contain_text("INVALID")
    await expect(form.locator("[data-test=pay-error]")).to_contain_text("字段: 入场通知模板 ID")
    await expect(page.locator(".el-message--error")).to_be_visible()
    await page.screenshot(path=shot_path(request, "payment-settings-refused"), full_page=True)
    assert await settings_of(db, lot_id) == saved


async def test_a_blacklist_entry_is_added_through_the_lists_page(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api, "custA1")
    await page.goto(f"{live_api.url}/#/owners/lists")
    await page.click("[data-test=new-listEntries]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1b")
    await dialog.locator("input[name=plate]").fill("京A12345")
    await dialog.locator("input[name=reason]").fill("逃费三次")
    await expect(dialog.locator("[data-test=field-category]")).to_contain_text("黑名单")
    await dialog.locator("[data-test=form-submit]").click()

    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A12345")
    await expect(table).to_contain_text("黑名单")
    await settled(page)
    await page.screenshot(path=shot_path(request, "blacklist-added"), full_page=True)
    [entry] = await rows(db, ListEntry)
    assert (entry.lot_id, entry.plate, entry.category, entry.reason, entry.valid_until) == (
        live_api.world.ids["lot:A1b"],
        "京A12345",
        VehicleCategory.BLACKLIST,
        "逃费三次",
        None,
    )
    assert entry.customer_id == live_api.world.ids["customer:A1"]


async def test_a_pass_product_and_an_api_key_are_created_and_the_key_is_shown_once(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    await signed_in(page, live_api, "platform")
    await page.goto(f"{live_api.url}/#/passes/products")
    await page.click("[data-test=new-passProducts]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A2a")
    await dialog.locator("input[name=name]").fill("标准月卡")
    await dialog.locator("input[name=price]").fill("300")
    await dialog.locator("input[name=price]").blur()
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("标准月卡")
    await expect(table).to_contain_text("300.00")
    [product] = await rows(db, PassProduct)
    assert (product.lot_id, product.name, product.price_fen, product.period, product.category, product.is_active) == (
        live_api.world.ids["lot:A2a"],
        "标准月卡",
        30000,
        PassPeriod.MONTH,
        VehicleCategory.MONTHLY,
        True,
    )

    await page.goto(f"{live_api.url}/#/api-keys")
    await page.click("[data-test=new-apiKeys]")
    dialog = page.get_by_role("dialog")
    await dialog.locator("input[name=name]").fill("停车场对接")
    await pick(page, "permissions", "查看记录")  # records.view, by its zh-CN label
    # The multiple select stays open; clicking the dialog's title closes it.
    await dialog.locator(".el-dialog__title").click()
    await dialog.locator("[data-test=form-submit]").click()
    # el-input puts the attribute on its input element.
    shown = page.locator("input[data-test=revealed-key]")
    await expect(page.locator("[data-test=secret-dialog]")).to_be_visible()
    await expect(shown).not_to_have_value("")
    key = await shown.input_value()
    await page.screenshot(path=shot_path(request, "api-key-once"), full_page=True)

    [stored] = await rows(db, ApiKey)
    assert (stored.name, stored.permissions, stored.revoked_at) == ("停车场对接", ["records.view"], None)
    assert key.startswith(f"{stored.prefix}.")
    # The key shown is the real one: a partner using it may read records.
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            f"{live_api.url}/graphql",
            json={"query": "{ parkingSessions(first: 1) { items { id } } }"},
            headers={"X-Api-Key": key},
        )
    assert response.json() == {"data": {"parkingSessions": {"items": []}}}

    # Once the operator says it is stored, the key is nowhere on the page any more.
    await page.click("[data-test=secret-saved]")
    await expect(page.locator("[data-test=secret-dialog]")).to_be_hidden()
    await expect(page.locator("[data-test=table]")).to_contain_text("停车场对接")
    assert key not in await page.content()
    await settled(page)
    await page.screenshot(path=shot_path(request, "api-keys"), full_page=True)

    # Revoking it (after confirming) stops the partner at once.
    await page.locator("[data-test=table] [data-test=row-revoke]").click()
    await page.locator(".el-message-box .el-button--primary").click()
    await expect(page.locator("[data-test=table]")).to_contain_text("已作废")
    [stored] = await rows(db, ApiKey)
    assert stored.revoked_at is not None
    async with httpx.AsyncClient(timeout=10) as http:
        refused = await http.post(
            f"{live_api.url}/graphql",
            json={"query": "{ parkingSessions(first: 1) { items { id } } }"},
            headers={"X-Api-Key": key},
        )
    assert refused.json()["data"] is None


async def test_a_vehicle_group_and_a_merchant_are_created_and_edited(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    lot_id = live_api.world.ids["lot:A1a"]
    await signed_in(page, live_api, "custA1")
    await page.goto(f"{live_api.url}/#/owners/groups")
    await page.click("[data-test=new-vehicleGroups]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("一位多车")
    await dialog.locator("input[name=spaces]").fill("2")
    await dialog.locator("input[name=spaces]").blur()
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("一位多车")
    await settled(page)
    await table.locator("[data-test=row-edit]").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.locator("input[name=name]")).to_have_value("一位多车")
    await dialog.locator("input[name=spaces]").fill("3")
    await dialog.locator("input[name=spaces]").blur()
    await dialog.locator("[data-test=form-submit]").click()
    await expect(table.locator("tbody tr").first).to_contain_text("3")
    [group] = await rows(db, VehicleGroup)
    assert (group.lot_id, group.name, group.spaces) == (lot_id, "一位多车", 3)

    await page.goto(f"{live_api.url}/#/merchants")
    await page.click("[data-test=new-merchants]")
    dialog = page.get_by_role("dialog")
    await pick(page, "lotId", "Lot A1a")
    await dialog.locator("input[name=name]").fill("咖啡店")
    await dialog.locator("input[name=phone]").fill("010-1234")
    await dialog.locator("[data-test=form-submit]").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("咖啡店")
    await settled(page)
    await table.locator("[data-test=row-edit]").click()
    dialog = page.get_by_role("dialog")
    await dialog.locator(".el-switch").click()
    await dialog.locator("[data-test=form-submit]").click()
    await expect(table).to_contain_text("停用")
    await settled(page)
    await page.screenshot(path=shot_path(request, "merchants"), full_page=True)
    [merchant] = await rows(db, Merchant)
    assert (merchant.lot_id, merchant.name, merchant.phone, merchant.is_active) == (lot_id, "咖啡店", "010-1234", False)


async def test_an_operator_of_one_customer_sees_only_that_customers_list_entries(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    since = datetime.now(UTC) - timedelta(days=1)
    async with db.transaction(Scope.internal()) as s:
        for lot, plate in (("A1a", "京A11111"), ("A2a", "京B22222"), ("B1a", "京C33333")):
            s.add(
                ListEntry(
                    agent_id=world.ids[f"agent:{lot[0]}"],
                    customer_id=world.ids[f"customer:{lot[:2]}"],
                    lot_id=world.ids[f"lot:{lot}"],
                    plate=plate,
                    category=VehicleCategory.VIP,
                    valid_from=since,
                )
            )
    # All three exist: the platform operator lists them.
    body: dict[str, Any] = live_api.gql("{ listEntries { items { plate } } }", token=world.tokens["platform"])
    assert sorted(e["plate"] for e in body["data"]["listEntries"]["items"]) == ["京A11111", "京B22222", "京C33333"]

    await signed_in(page, live_api, "custA1")
    await page.goto(f"{live_api.url}/#/owners/lists")
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text("京A11111")
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).not_to_contain_text("京B22222")
    await expect(table).not_to_contain_text("京C33333")
    await settled(page)
    await page.screenshot(path=shot_path(request, "customer-list-entries"), full_page=True)


async def test_a_customer_is_created_through_the_list_pages_dialog_and_a_missing_field_changes_nothing(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    before = [c.name for c in await rows(db, Customer)]
    await signed_in(page, live_api, "agentA")
    await page.goto(f"{live_api.url}/#/customers")
    await settled(page)
    await page.click("[data-test=create]")
    dialog = page.get_by_role("dialog")
    # Without its agent the form is not sent: a warning names the field, and no row appears.
    await dialog.locator("input[name=name]").fill("Customer A3")
    await dialog.locator("[data-test=form-submit]").click()
    await expect(page.locator(".el-message--warning")).to_contain_text("代理商")
    assert [c.name for c in await rows(db, Customer)] == before

    # An agent operator is offered only their own agent.
    await dialog.locator("[data-test=field-agentId]").click()
    await expect(page.get_by_role("option", name="Agent B", exact=True)).to_have_count(0)
    await page.get_by_role("option", name="Agent A", exact=True).click()
    await dialog.locator("input[name=phone]").fill("13800000000")
    await dialog.locator("[data-test=form-submit]").click()
    await expect(page.locator("[data-test=table] tr", has_text="Customer A3")).to_contain_text("13800000000")
    await page.screenshot(path=shot_path(request, "customer-created"), full_page=True)

    created = [c for c in await rows(db, Customer) if c.name == "Customer A3"]
    assert [(c.agent_id, c.phone) for c in created] == [(live_api.world.ids["agent:A"], "13800000000")]
