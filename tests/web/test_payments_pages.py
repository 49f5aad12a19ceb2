"""The finance pages in chromium against the real API: cash orders paid through the payment service in two
customers' lots, a refund asked for and approved by two operators in the UI, a wallet topped up, the day's
settlement statements, a channel reconciliation's unmatched lines, and a customer operator who sees only its own
orders. The database is checked after."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select, update

from parking.accounts.models import Operator
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope, ScopeLevel
from parking.invoices.models import BuyerKind, Invoice, InvoiceOrder, InvoiceStatus, LotInvoiceSettings
from parking.lanes.flow import LaneInput, handle_reading
from parking.payments.bills import EntryKind
from parking.payments.gateway import Channels
from parking.payments.ids import new_out_trade_no
from parking.payments.models import (
    OrderStatus,
    PaymentChannel,
    PaymentOrder,
    PaymentPurpose,
    Refund,
    RefundStatus,
)
from parking.payments.service import StayRef, record_cash, reserve_order
from parking.payments.settle import apply_to_order
from parking.payments.settlement_models import ReconciliationItem, ReconciliationResult, ReconciliationRun, RunStatus
from parking.payments.state import DoublePayment, PaymentSucceeded
from parking.payments.statements import produce_statements
from parking.plates import PlateColor
from parking.tariffs.models import TariffVersion
from parking.tenancy.enums import VehicleClass
from parking.tenancy.models import Lot
from parking.vehicles.models import Owner, Wallet
from tests.factories import PASSWORD_HASH, World
from tests.lanes.site import flat_tariff
from tests.web.conftest import LiveApi, login, shot_path

pytestmark = pytest.mark.browser

CST = ZoneInfo("Asia/Shanghai")
PLATES = {"A1a": "京A11111", "A2a": "沪B22222"}
# The API answers mutations on a machine shared with other test runs: waits after one are longer than the default.
AFTER_MUTATION_MS = 15_000


async def message(tab: Page, kind: str, text: str) -> None:
    """An ElMessage of ``kind`` (success, error) saying ``text`` appears. The newest one: the same message of an
    earlier step may still be fading out (a run that went faster than its 3 seconds failed on two matches)."""
    await expect(tab.locator(f".el-message--{kind}", has_text=text).last).to_be_visible(timeout=AFTER_MUTATION_MS)


async def paid_cash_order(db: Database, world: World, lot: str, plate: str, now: datetime) -> int:
    """A car in ``lot`` since 70 minutes (600 fen under the flat tariff) that paid cash at the booth."""
    session_id = await car_inside(db, world, lot, plate, now)
    paid = await record_cash(db, Channels(), Scope.internal(), session_id, 600, None, now)
    return paid.order.id


async def car_inside(db: Database, world: World, lot: str, plate: str, now: datetime) -> int:
    """A car in ``lot`` since 70 minutes: 600 fen due under the flat tariff."""
    lot_id = world.ids[f"lot:{lot}"]
    async with db.transaction(Scope.internal()) as s:
        lot_row = await s.scalar(select(TariffVersion.id).where(TariffVersion.lot_id == lot_id))
        if lot_row is None:
            s.add(
                TariffVersion(
                    agent_id=world.ids[f"agent:{lot[0]}"],
                    customer_id=world.ids[f"customer:{lot[:2]}"],
                    lot_id=lot_id,
                    vehicle_class=VehicleClass.SMALL,
                    name="flat",
                    version=1,
                    effective_from=datetime(2026, 1, 1, tzinfo=UTC),
                    document=flat_tariff().model_dump(mode="json"),
                )
            )
    entry = now - timedelta(minutes=70)
    reading = LaneInput(
        lane_id=world.ids[f"lane:{lot}"],
        plate=plate,
        color=PlateColor.BLUE,
        confidence=0.95,
        at=entry,
        dedup_key=f"web-pay:{plate}",
    )
    outcome = await handle_reading(db, reading, now=entry)
    assert outcome.session_id is not None
    return outcome.session_id


async def double_paid_order(db: Database, world: World, lot: str, plate: str, now: datetime) -> str:
    """An Alipay QR order for a car that then paid cash at the booth (which closed the order), paid anyway:
    a double payment, its refund waiting for approval (the lot's setting)."""
    async with db.transaction(Scope.internal()) as s:
        await s.execute(
            update(Lot)
            .where(Lot.id == world.ids[f"lot:{lot}"])
            .values(payment_settings={"double_payment_auto_refund": False})
        )
    session_id = await car_inside(db, world, lot, plate, now)
    order, _, _ = await reserve_order(db, Scope.internal(), StayRef(session_id), PaymentChannel.ALIPAY_QR, "", now)
    await record_cash(db, Channels(), Scope.internal(), session_id, 600, None, now)
    await apply_to_order(db, order.out_trade_no, now, event=PaymentSucceeded("2026120622001400000000000001", 600, now))
    return order.out_trade_no


async def add_approver(db: Database, world: World) -> int:
    """A second platform operator: a refund is approved by someone other than who asked for it."""
    async with db.transaction(Scope.internal()) as s:
        op = Operator(
            scope_level=ScopeLevel.PLATFORM,
            username="approver",
            display_name="财务审核",
            password_hash=PASSWORD_HASH,
            role_id=world.ids["role:all"],
        )
        s.add(op)
        await s.flush()
        return op.id


async def add_owner(db: Database, world: World) -> int:
    async with db.transaction(Scope.internal()) as s:
        owner = Owner(
            agent_id=world.ids["agent:A"],
            customer_id=world.ids["customer:A1"],
            lot_id=world.ids["lot:A1a"],
            name="张三",
            phone="13800000000",
        )
        s.add(owner)
        await s.flush()
        return owner.id


async def signed_in(browser: Browser, api: LiveApi, username: str) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    tab = await context.new_page()
    await login(tab, api, username)
    await expect(tab.locator("[data-test=overview-cards]")).to_be_visible()
    return tab


async def test_orders_refund_wallet_and_settlement_through_the_finance_pages(
    page: Page, browser: Browser, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    now = datetime.now(UTC)
    orders = {lot: await paid_cash_order(db, world, lot, plate, now) for lot, plate in PLATES.items()}
    approver_id = await add_approver(db, world)
    owner_id = await add_owner(db, world)

    # Payment orders: both lots' orders, then only lot A1a's once filtered.
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.locator(".el-sub-menu__title", has_text="财务").click()
    await page.get_by_role("menuitem", name="支付订单").click()
    table = page.locator("[data-test=table]")
    await expect(table).to_contain_text(PLATES["A1a"])
    await expect(table).to_contain_text(PLATES["A2a"])
    await expect(table).to_contain_text("6.00")
    await page.locator(".toolbar .el-select").first.click()
    await page.get_by_role("option", name="Lot A1a").click()
    await page.click("[data-test=search]")
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).to_contain_text(PLATES["A1a"])
    await expect(table).not_to_contain_text(PLATES["A2a"])

    # A refund of more than was paid shows the API's code, its meaning and the field at fault in Chinese, then the
    # server's message; 2.50 yuan is asked for.
    await table.locator("[data-test=refund-request]").click()
    dialog = page.get_by_role("dialog")
    await dialog.locator("input[name=amount]").fill("7")
    await dialog.locator("input[name=reason]").fill("重复收费")
    await dialog.locator("[data-test=money-submit]").click()
    await message(page, "error", "INVALID")
    await message(page, "error", "输入无效 (INVALID) · 字段: 金额 (元)")
    await message(page, "error", "exceeds the 600 fen still refundable")
    await dialog.locator("input[name=amount]").fill("2.5")
    await dialog.locator("[data-test=money-submit]").click()
    await message(page, "success", "退款申请已提交")
    await page.screenshot(path=shot_path(request, "orders-refund-requested"), full_page=True)
    # A second request on the same order, which the approver will turn down with a reason.
    await table.locator("[data-test=refund-request]").click()
    await dialog.locator("input[name=amount]").fill("1")
    await dialog.locator("input[name=reason]").fill("停车费争议")
    await dialog.locator("[data-test=money-submit]").click()
    await message(page, "success", "退款申请已提交")

    # The requester may not approve it; the refusal's code is shown and nothing changes.
    await page.get_by_role("menuitem", name="退款审批").click()
    refunds = page.locator("[data-test=table]")
    await expect(refunds).to_contain_text("重复收费")
    await refunds.locator("tbody tr", has_text="重复收费").locator("[data-test=refund-approve]").click()
    await page.locator(".el-message-box .el-button--primary").click()
    await message(page, "error", "PERMISSION_DENIED")

    # Another operator with refunds.approve approves it: cash is handed back at once.
    other = await signed_in(browser, live_api, "approver")
    try:
        await other.goto(f"{live_api.url}/#/payments/refunds")
        listed = other.locator("[data-test=table]")
        await expect(listed).to_contain_text("待审批")
        await listed.locator("tbody tr", has_text="重复收费").locator("[data-test=refund-approve]").click()
        await other.locator(".el-message-box .el-button--primary").click()
        await message(other, "success", "已同意退款")
        # Rejecting needs a reason: an empty one is not sent, the given one is stored and listed.
        await listed.locator("tbody tr", has_text="停车费争议").locator("[data-test=refund-reject]").click()
        box = other.locator(".el-message-box")
        await box.locator(".el-button--primary").click()
        await expect(box).to_contain_text("1-200")
        await box.locator("input").fill("车辆已按标准计费, 不予退款")
        await box.locator(".el-button--primary").click()
        await message(other, "success", "已驳回")
        await expect(listed).to_contain_text("车辆已按标准计费, 不予退款", timeout=AFTER_MUTATION_MS)
        await expect(listed).to_contain_text("退款成功", timeout=AFTER_MUTATION_MS)
        await expect(listed).to_contain_text("platform")
        await expect(listed).to_contain_text("财务审核")
        await expect(listed).to_contain_text("2.50")
        await other.screenshot(path=shot_path(request, "refund-approved"), full_page=True)
    finally:
        await other.context.close()
    async with db.session(Scope.internal()) as s:
        refund_rows = list(await s.scalars(select(Refund).order_by(Refund.id)))
        order = await s.get(PaymentOrder, orders["A1a"])
    assert [(r.order_id, r.amount_fen, r.status, r.reason, r.approved_by_id, r.decision_note) for r in refund_rows] == [
        (orders["A1a"], 250, RefundStatus.SUCCEEDED, "重复收费", approver_id, ""),
        (orders["A1a"], 100, RefundStatus.REJECTED, "停车费争议", approver_id, "车辆已按标准计费, 不予退款"),
    ]
    assert {r.requested_by_id for r in refund_rows} == {world.ids["operator:platform"]}
    assert order is not None
    assert (order.status, order.refunded_fen) == (OrderStatus.PARTLY_REFUNDED, 250)

    # Wallet: 12.34 yuan topped up; a debit beyond the balance is refused with its code.
    await page.goto(f"{live_api.url}/#/owners")
    owners = page.locator("[data-test=table]")
    await expect(owners).to_contain_text("张三")
    await owners.locator("[data-test=wallet-top-up]").click()
    await page.get_by_role("dialog").locator("input[name=amount]").fill("12.34")
    await page.get_by_role("dialog").locator("input[name=reason]").fill("现金充值")
    await page.get_by_role("dialog").locator("[data-test=money-submit]").click()
    await message(page, "success", "12.34")
    await expect(owners).to_contain_text("12.34", timeout=AFTER_MUTATION_MS)
    await owners.locator("[data-test=wallet-debit]").click()
    await page.get_by_role("dialog").locator("input[name=amount]").fill("20")
    await page.get_by_role("dialog").locator("input[name=reason]").fill("误充")
    await page.get_by_role("dialog").locator("[data-test=money-submit]").click()
    await message(page, "error", "insufficient wallet balance")
    await page.screenshot(path=shot_path(request, "wallet-topped-up"), full_page=True)
    async with db.session(Scope.internal()) as s:
        wallet = await s.scalar(select(Wallet).where(Wallet.owner_id == owner_id))
    assert wallet is not None
    assert wallet.balance_fen == 1234

    # Settlement: the day's statements (produced once the day is over) show net = gross - refunds per lot.
    day = now.astimezone(CST).date()
    after_day = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=CST) + timedelta(minutes=1)
    lots = [world.ids["lot:A1a"], world.ids["lot:A2a"]]
    assert len(await produce_statements(db, day, after_day.astimezone(UTC), lots)) == 2
    await page.goto(f"{live_api.url}/#/payments/settlement?from={day}&to={day}")
    settlement = page.locator("[data-test=settlement-table]")
    a1a = settlement.locator("tbody tr", has_text="Lot A1a")
    await expect(a1a).to_contain_text("现金")
    await expect(a1a).to_contain_text("6.00")
    await expect(a1a).to_contain_text("2.50")
    await expect(a1a).to_contain_text("3.50")
    await expect(settlement.locator("tbody tr", has_text="Lot A2a")).to_contain_text("6.00")
    # The totals row: 12.00 taken, 2.50 refunded, 9.50 net.
    footer = settlement.locator(".el-table__footer")
    await expect(footer).to_contain_text("合计")
    await expect(footer).to_contain_text("9.50")
    await page.screenshot(path=shot_path(request, "settlement"), full_page=True)


async def test_an_operator_of_one_customer_sees_only_its_own_orders(
    browser: Browser, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    now = datetime.now(UTC)
    for lot, plate in PLATES.items():
        await paid_cash_order(db, live_api.world, lot, plate, now)
    tab = await signed_in(browser, live_api, "custA1")
    try:
        await tab.goto(f"{live_api.url}/#/payments/orders")
        table = tab.locator("[data-test=table]")
        await expect(table).to_contain_text(PLATES["A1a"])
        await expect(table.locator("tbody tr")).to_have_count(1)
        await expect(table).not_to_contain_text(PLATES["A2a"])
        await tab.screenshot(path=shot_path(request, "customer-orders"), full_page=True)
    finally:
        await tab.context.close()


async def test_a_double_payment_shows_on_the_orders_page_and_its_refund_waits(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    world = live_api.world
    now = datetime.now(UTC)
    await paid_cash_order(db, world, "A2a", PLATES["A2a"], now)
    double = await double_paid_order(db, world, "A1a", PLATES["A1a"], now)
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/orders")
    table = page.locator("[data-test=table]")
    # three orders: A2a's cash, A1a's cash and A1a's Alipay order, which is marked
    await expect(table.locator("tbody tr")).to_have_count(3)
    await expect(table.locator("tbody tr", has_text=double)).to_contain_text("订单关闭后付款")
    await expect(table.locator("tbody tr", has_text="订单关闭后付款")).to_have_count(1)
    # the filter keeps only double payments
    await page.locator("[data-test=filter-doublePayment]").click()
    await page.get_by_role("option", name="是").click()
    await page.click("[data-test=search]")
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).to_contain_text(double)
    await page.screenshot(path=shot_path(request, "orders-double-payment"), full_page=True)
    # and its refund waits on the refunds page for someone to approve it
    await page.goto(f"{live_api.url}/#/payments/refunds")
    refunds = page.locator("[data-test=table]")
    await expect(refunds.locator("tbody tr", has_text="重复支付退款")).to_contain_text("待审批")
    async with db.session(Scope.internal()) as s:
        order = await s.scalar(select(PaymentOrder).where(PaymentOrder.out_trade_no == double))
        assert order is not None
        refund_rows = list(await s.scalars(select(Refund).where(Refund.order_id == order.id)))
    assert (order.status, order.double_payment) == (OrderStatus.PAID, DoublePayment.PAID_AFTER_CLOSE)
    assert [(r.amount_fen, r.status) for r in refund_rows] == [(600, RefundStatus.REQUESTED)]


EVERY_RESULT = [
    (ReconciliationResult.MATCHED, "T-MATCHED", 600, 600, "A1a"),
    (ReconciliationResult.MISSING_OURS, "T-THEIRS-ONLY", None, 300, None),
    (ReconciliationResult.MISSING_THEIRS, "T-OURS-ONLY", 800, None, "A1a"),
    (ReconciliationResult.AMOUNT_MISMATCH, "T-MISMATCH", 500, 450, "A2a"),
]


async def seed_reconciliation(
    db: Database, world: World, day: date, lines: list[tuple[Any, ...]] = EVERY_RESULT
) -> None:
    """A WeChat Pay run of ``day`` (by default with one line of each result), written straight to the database
    (as tests/payments/ledger.py does for statements); reconcile_day itself is tested in tests/payments."""
    async with db.transaction(Scope.internal()) as s:
        run = ReconciliationRun(
            channel="wechatpay",
            day=day,
            bill_rows=3,
            matched_count=1,
            missing_ours_count=1,
            missing_theirs_count=1,
            amount_mismatch_count=1,
            produced_at=datetime.now(UTC),
        )
        s.add(run)
        await s.flush()
        for result, number, ours, theirs, lot in lines:
            owner = (
                {}
                if lot is None
                else {
                    "agent_id": world.ids[f"agent:{lot[0]}"],
                    "customer_id": world.ids[f"customer:{lot[:2]}"],
                    "lot_id": world.ids[f"lot:{lot}"],
                }
            )
            s.add(
                ReconciliationItem(
                    run_id=run.id,
                    result=result,
                    entry_kind=EntryKind.PAYMENT,
                    number=number,
                    out_trade_no=number,
                    ours_fen=ours,
                    theirs_fen=theirs,
                    **owner,
                )
            )


async def test_a_failed_reconciliation_is_shown_as_failed_with_its_reason(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given a clean day and, after it, a day whose bill failed its hash (stored by reconcile_day as a failed run)
    clean = date.today() - timedelta(days=3)
    broken = clean + timedelta(days=1)
    await seed_reconciliation(db, live_api.world, clean, [(ReconciliationResult.MATCHED, "T-CLEAN", 600, 600, "A1a")])
    async with db.transaction(Scope.internal()) as s:
        s.add(
            ReconciliationRun(
                channel="wechatpay",
                day=broken,
                produced_at=datetime.now(UTC),
                status=RunStatus.FAILED,
                error="bill file does not match the signed hash",
            )
        )
    # when finance opens the failed day
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/reconciliation?channel=wechatpay&day={broken}")
    # then the page says it failed and why, with no counts, and the recent days mark it as failed, not clean
    alert = page.locator("[data-test=recon-failed]")
    await expect(alert).to_contain_text("对账失败")
    await expect(alert).to_contain_text("bill file does not match the signed hash")
    await expect(page.locator("[data-test=recon-counts]")).to_have_count(0)
    days = page.locator("[data-test=recon-days]")
    await expect(days.locator(f"[data-test=recon-day-{broken}]")).to_contain_text("!")
    await expect(days.locator(f"[data-test=recon-day-{clean}]")).to_contain_text("✓")
    await page.screenshot(path=shot_path(request, "reconciliation-failed"), full_page=True)


async def test_reconciliation_shows_what_did_not_match(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # Days relative to today, inside the page's list of the last 31 reconciled days.
    day = date.today() - timedelta(days=3)
    clean = day + timedelta(days=1)
    await seed_reconciliation(db, live_api.world, day)
    await seed_reconciliation(db, live_api.world, clean, [(ReconciliationResult.MATCHED, "T-CLEAN", 600, 600, "A1a")])
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/reconciliation?channel=wechatpay&day={day}")
    lines = page.locator("[data-test=recon-lines]")
    await expect(lines.locator("tbody tr")).to_have_count(4)
    await expect(page.locator("[data-test=recon-MISSING_OURS]")).to_contain_text("我方缺失 1")
    await page.click("[data-test=recon-AMOUNT_MISMATCH]")
    await expect(lines.locator("tbody tr")).to_have_count(1)
    await expect(lines).to_contain_text("T-MISMATCH")
    await expect(lines).to_contain_text("5.00")
    await expect(lines).to_contain_text("4.50")
    await expect(lines).to_contain_text("Lot A2a")
    await page.screenshot(path=shot_path(request, "reconciliation-mismatch"), full_page=True)
    # The recent days mark the day with differences; a clean day opens from there.
    days = page.locator("[data-test=recon-days]")
    await expect(days.locator(f"[data-test=recon-day-{day}]")).to_contain_text("✗ 3")
    await expect(days.locator(f"[data-test=recon-day-{clean}]")).to_contain_text("✓")
    await days.locator(f"[data-test=recon-day-{clean}]").click()
    await expect(lines.locator("tbody tr")).to_have_count(1)
    await expect(lines).to_contain_text("T-CLEAN")
    # A customer's operator sees only its own lots' lines: the line without a lot and A2a's are not shown.
    await page.click("[data-test=logout]")
    await login(page, live_api, "custA1")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/reconciliation?channel=wechatpay&day={day}")
    await expect(lines.locator("tbody tr")).to_have_count(2)
    await expect(lines).not_to_contain_text("T-MISMATCH")
    # and counts only those: of the day's three differences one is its own.
    await expect(page.locator(f"[data-test=recon-day-{day}]")).to_contain_text("✗ 1")
    await expect(lines).not_to_contain_text("T-THEIRS-ONLY")


async def seeded_invoice(db: Database, world: World, status: InvoiceStatus, **values: Any) -> int:
    """An invoice of lot A1a's paid WeChat order, as the provider left it (``status``, ``values``)."""
    tenant = {
        "agent_id": world.ids["agent:A"],
        "customer_id": world.ids["customer:A1"],
        "lot_id": world.ids["lot:A1a"],
    }
    now = datetime.now(UTC)
    async with db.transaction(Scope.internal()) as s:
        order = PaymentOrder(
            **tenant,
            out_trade_no=new_out_trade_no(now),
            channel=PaymentChannel.WECHAT_JSAPI,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            plate=PLATES["A1a"],
            payer_key="o-driver",
            amount_fen=1850,
            paid_at=now - timedelta(days=1),
        )
        s.add(order)
        await s.flush()
        invoice = Invoice(
            **tenant,
            order_id=order.id,
            order_ids=[str(order.id)],
            plate=PLATES["A1a"],
            amount_fen=1850,
            title="上海某某科技有限公司",
            buyer_kind=BuyerKind.COMPANY,
            tax_number="91310000MA1FL1234X",
            email="cw@example.com",
            openid="o-driver",
            status=status,
            **values,
        )
        s.add(invoice)
        await s.flush()
        s.add(InvoiceOrder(order_id=order.id, invoice_id=invoice.id))
        return invoice.id


async def test_invoices_are_retried_and_reversed_and_a_lot_gets_its_invoicing_settings(
    page: Page, live_api: LiveApi, db: Database, request: pytest.FixtureRequest
) -> None:
    # given a failed invoice and an issued one in lot A1a, which issues no invoices yet
    world = live_api.world
    failed = await seeded_invoice(db, world, InvoiceStatus.FAILED, attempts=1, last_error="购方税号不存在")
    issued = await seeded_invoice(
        db, world, InvoiceStatus.ISSUED, attempts=1, number="26330000000000000001", issued_at=datetime.now(UTC)
    )
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    # when the operator opens the invoices: the failed one shows why, and each row offers only its own action
    await page.goto(f"{live_api.url}/#/payments/invoices")
    table = page.locator("[data-test=table]")
    failed_row = table.locator("tbody tr", has_text="购方税号不存在")
    issued_row = table.locator("tbody tr", has_text="26330000000000000001")
    await expect(failed_row.locator("[data-test=invoice-retry]")).to_have_count(1)
    await expect(failed_row.locator("[data-test=invoice-reverse]")).to_have_count(0)
    await expect(issued_row.locator("[data-test=invoice-reverse]")).to_have_count(1)
    await expect(issued_row.locator("[data-test=invoice-retry]")).to_have_count(0)
    # when 红冲 is pressed and the confirmation cancelled, then nothing changed
    await issued_row.locator("[data-test=invoice-reverse]").click()
    dialog = page.locator(".el-message-box")
    await expect(dialog).to_contain_text("26330000000000000001")
    await dialog.get_by_role("button", name="取消").click()
    assert await invoice_states(db) == {failed: InvoiceStatus.FAILED, issued: InvoiceStatus.ISSUED}
    # when it is confirmed, then the invoice is being reversed
    await issued_row.locator("[data-test=invoice-reverse]").click()
    await dialog.get_by_role("button", name="红冲").click()
    await message(page, "success", "已提交红冲")
    await expect(table.locator("tbody tr", has_text="26330000000000000001")).to_contain_text("红冲中")
    # when the failed one is retried, then it went to the provider again (which this server has no keys for)
    await failed_row.locator("[data-test=invoice-retry]").click()
    await message(page, "success", "已重新提交开票")
    assert (await invoice_states(db))[issued] == InvoiceStatus.REVERSING
    assert await sent_again(db, failed) == "开票平台未配置该销售方的凭据"
    async with db.session(Scope.internal()) as s:
        actions = sorted(await s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "invoice")))
    assert actions == ["invoice.retry", "invoice.reverse"]
    await page.screenshot(path=shot_path(request, "invoices-actions"), full_page=True)

    # when the lot's 开票设置 is saved with a bad goods code: the field is named, nothing is written
    await page.goto(f"{live_api.url}/#/lots?lot={world.ids['lot:A1a']}")
    await page.locator("[data-test=tab-invoice]").click()
    form = page.locator("[data-test=invoice-settings]")
    await form.locator("input[name=invoice-seller-name]").fill("上海停车管理有限公司")
    await form.locator("input[name=invoice-seller-tax-number]").fill("91330106ma2b1c3d4e")
    await form.locator("input[name=invoice-goods-code]").fill("123")
    await form.locator("[data-test=invoice-settings-save]").click()
    await expect(form.locator("[data-test=invoice-settings-error]")).to_contain_text("税收分类编码")
    assert await lot_settings(db, world.ids["lot:A1a"]) is None
    # when the code is left to the default and the rate set to 6 %
    await form.locator("input[name=invoice-goods-code]").fill("")
    await form.locator("[data-test=invoice-tax-rate]").click()
    await page.get_by_role("option", name="6%").click()
    await form.locator("[data-test=invoice-settings-save]").click()
    await message(page, "success", "开票设置已保存")
    # then the lot issues invoices as that seller, at 6 %, with the default goods code
    settings = await lot_settings(db, world.ids["lot:A1a"])
    assert settings is not None
    assert (settings.enabled, settings.seller_name, settings.seller_tax_number) == (
        True,
        "上海停车管理有限公司",
        "91330106MA2B1C3D4E",
    )
    assert (settings.tax_rate_permille, settings.goods_code, settings.deadline_days) == (60, "3040502020200000000", 365)
    await page.screenshot(path=shot_path(request, "lot-invoice-settings"), full_page=True)


async def test_a_stalled_reversal_is_asked_for_again_after_the_same_confirmation(
    page: Page, live_api: LiveApi, db: Database
) -> None:
    # given an invoice whose reversal the provider refused (still REVERSING, its words kept) and one whose reversal
    # is still with the provider (REVERSING, no error)
    world = live_api.world
    stalled = await seeded_invoice(
        db, world, InvoiceStatus.REVERSING, number="26330000000000000007", last_error="红字确认单未确认"
    )
    waiting = await seeded_invoice(db, world, InvoiceStatus.REVERSING, number="26330000000000000008")
    await login(page, live_api, "platform")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    await page.goto(f"{live_api.url}/#/payments/invoices")
    table = page.locator("[data-test=table]")
    stalled_row = table.locator("tbody tr", has_text="26330000000000000007")
    # then only the stalled one offers 红冲, both read 红冲中
    await expect(stalled_row.locator("[data-test=invoice-reverse]")).to_have_count(1)
    await expect(stalled_row).to_contain_text("红冲中")
    await expect(
        table.locator("tbody tr", has_text="26330000000000000008").locator("[data-test=invoice-reverse]")
    ).to_have_count(0)
    # when 红冲 is pressed: the same confirmation, naming the invoice; cancelled, nothing is asked
    await stalled_row.locator("[data-test=invoice-reverse]").click()
    dialog = page.locator(".el-message-box")
    await expect(dialog).to_contain_text("开具红字发票冲销这张发票?")
    await expect(dialog).to_contain_text("26330000000000000007")
    await dialog.get_by_role("button", name="取消").click()
    async with db.session(Scope.internal()) as s:
        assert list(await s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "invoice"))) == []
    # when confirmed: the reversal is asked for again (audited), and the provider tried once more (this server has
    # no keys for the seller, so the invoice stays REVERSING with that reason)
    await stalled_row.locator("[data-test=invoice-reverse]").click()
    await dialog.get_by_role("button", name="红冲").click()
    await message(page, "success", "已提交红冲")
    assert await reversal_error(db, stalled) == "开票平台未配置该销售方的凭据"
    assert (await invoice_states(db)) == {stalled: InvoiceStatus.REVERSING, waiting: InvoiceStatus.REVERSING}
    async with db.session(Scope.internal()) as s:
        audited = list(
            await s.execute(select(AuditEntry.action, AuditEntry.entity_id).where(AuditEntry.entity == "invoice"))
        )
    assert [(action, entity_id) for action, entity_id in audited] == [("invoice.reverse", stalled)]


async def reversal_error(db: Database, invoice_id: int) -> str:
    """The stalled reversal's error once the server's dispatch asked the provider again (bounded; nothing timed)."""
    for _ in range(600):
        async with db.session(Scope.internal()) as s:
            invoice = await s.get(Invoice, invoice_id)
            assert invoice is not None
            if invoice.last_error != "红字确认单未确认":
                return invoice.last_error
        await asyncio.sleep(0.05)
    raise AssertionError("the stalled reversal was never asked for again")


async def sent_again(db: Database, invoice_id: int) -> str:
    """The error of the invoice's second attempt, once the server's dispatch made it (bounded; nothing is timed)."""
    for _ in range(600):
        async with db.session(Scope.internal()) as s:
            invoice = await s.get(Invoice, invoice_id)
            assert invoice is not None
            if invoice.attempts == 2 and invoice.status is InvoiceStatus.FAILED:
                return invoice.last_error
        await asyncio.sleep(0.05)
    raise AssertionError("the retried invoice was never sent again")


async def invoice_states(db: Database) -> dict[int, InvoiceStatus]:
    async with db.session(Scope.internal()) as s:
        return {row.id: row.status for row in await s.scalars(select(Invoice))}


async def lot_settings(db: Database, lot_id: int) -> LotInvoiceSettings | None:
    async with db.session(Scope.internal()) as s:
        settings: LotInvoiceSettings | None = await s.scalar(
            select(LotInvoiceSettings).where(LotInvoiceSettings.lot_id == lot_id)
        )
        return settings
