"""A driver asks for an e-invoice in the H5 build (a phone-sized chromium against the real API, paying through the
local fakes and invoicing through the fake Nuonuo served over HTTP): two payments of one lot picked, another lot's
refused with its reason, a company's title and tax number, the invoice issued and listed in 我的发票 with its PDF.
The database and the fake provider are read afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from fakes.nuonuo import SERVICES_PATH, FakeNuonuo
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.scope import Scope
from parking.invoices.models import Invoice, InvoiceOrder, InvoiceStatus, LotInvoiceSettings
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from tests.invoices.conftest import nuonuo, nuonuo_served
from tests.lanes.site import Site, build_site
from tests.miniprogram.conftest import MiniProgramServer
from tests.miniprogram.test_driver_flows import PLATE, tap
from tests.miniprogram.test_driver_plates import logged_in, open_page

__all__ = ["nuonuo", "nuonuo_served"]  # the fake provider's fixtures, from tests/invoices

COMPANY = "上海某某科技有限公司"
TAX_NUMBER = "91310000MA1FL1234X"
EMAIL = "cw@example.com"


@pytest.fixture
def more_credentials(nuonuo: FakeNuonuo, nuonuo_served: tuple[FakeNuonuo, str]) -> dict[str, dict[str, Any]]:
    return {"nuonuo": {**nuonuo.credentials(), "base_url": f"{nuonuo_served[1]}{SERVICES_PATH}"}}


def tenant(site: Site) -> dict[str, int]:
    return {"agent_id": site.ids["agent"], "customer_id": site.ids["customer"], "lot_id": site.lot_id}


async def invoicing(db: Database, site: Site, seller_tax_number: str) -> None:
    async with db.transaction(Scope.internal()) as s:
        s.add(
            LotInvoiceSettings(
                **tenant(site),
                seller_name="上海停车管理有限公司",
                seller_tax_number=seller_tax_number,
            )
        )


async def paid(db: Database, site: Site, payer: str, fen: int, hours_ago: int) -> int:
    now = utcnow()
    async with db.transaction(Scope.internal()) as s:
        order = PaymentOrder(
            **tenant(site),
            out_trade_no=new_out_trade_no(now),
            channel=PaymentChannel.WECHAT_JSAPI,
            purpose=PaymentPurpose.PARKING_EXIT,
            status=OrderStatus.PAID,
            session_id=None,
            plate=PLATE,
            payer_key=payer,
            amount_fen=fen,
            paid_at=now - timedelta(hours=hours_ago),
            channel_trade_no=f"4200{fen}{hours_ago}",
        )
        s.add(order)
        await s.flush()
        return order.id


async def test_two_payments_of_one_lot_are_invoiced_to_a_company_and_issued_in_my_invoices(
    db: Database, mp_server: MiniProgramServer, phone: Page, nuonuo: FakeNuonuo
) -> None:
    # given two invoicing lots of one customer, and a logged-in driver who paid twice in the first and once in the other
    site = await build_site(db)
    other = await build_site(db, same_customer_as=site)
    await invoicing(db, site, nuonuo.tax_number)
    await invoicing(db, other, nuonuo.tax_number)
    driver = await logged_in(phone, mp_server)
    first = await paid(db, site, driver, 600, hours_ago=3)
    second = await paid(db, site, driver, 1250, hours_ago=2)
    await paid(db, other, driver, 800, hours_ago=1)
    # when the driver opens 开发票 and picks the first lot's two payments
    await open_page(phone, mp_server, "invoice")
    payments = phone.locator("[data-test=payment]")
    await expect(payments).to_have_count(3)
    await payments.filter(has_text="¥6.00").click()
    await payments.filter(has_text="¥12.50").click()
    await expect(phone.locator("[data-test=picked]")).to_have_text("已选 2 笔，合计 ¥18.50")
    # and then the other lot's
    await payments.filter(has_text="¥8.00").click()
    # then it is not picked, and the driver reads why
    await expect(phone.locator("[data-test=error]")).to_contain_text("不同停车场的缴费请分别开票")
    await expect(phone.locator("[data-test=picked]")).to_have_text("已选 2 笔，合计 ¥18.50")
    # when the driver goes on, as a company without its tax number first
    await tap(phone, "下一步")
    await expect(phone.locator("[data-test=amount]")).to_have_text("¥18.50")
    await phone.locator("[data-test=kind-company]").click()
    await phone.locator("[data-test=title-input] input").fill(COMPANY)
    await phone.locator("[data-test=email-input] input").fill(EMAIL)
    await tap(phone, "提交开票申请")
    # then the form says what is missing, and nothing was asked of the server
    await expect(phone.locator("[data-test=error]")).to_have_text("企业抬头须填写纳税人识别号")
    async with db.session(Scope.internal()) as s:
        assert list(await s.scalars(select(Invoice.id))) == []
    # when the tax number is typed (lower case) and the request sent
    await phone.locator("[data-test=tax-input] input").fill(TAX_NUMBER.lower())
    await tap(phone, "提交开票申请")
    # then 我的发票 shows the invoice issued, with its number and its PDF
    row = phone.locator("[data-test=invoice-row]")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(COMPANY)
    await expect(row).to_contain_text("¥18.50")
    await expect(row).to_contain_text("2 笔缴费")
    await expect(row.locator("[data-test=status]")).to_have_text("已开票")
    pdf_button = row.locator("uni-button", has_text="查看 PDF")
    await expect(pdf_button).to_be_visible()
    # and the invoice is issued by the provider, for the company, of exactly those two payments
    async with db.session(Scope.internal()) as s:
        [invoice] = list(await s.scalars(select(Invoice)))
        linked = sorted(await s.scalars(select(InvoiceOrder.order_id)))
    assert (invoice.status, invoice.amount_fen, invoice.openid) == (InvoiceStatus.ISSUED, 1850, driver)
    assert (invoice.title, invoice.tax_number, invoice.email) == (COMPANY, TAX_NUMBER, EMAIL)
    assert linked == [first, second]
    await expect(row.locator("[data-test=number]")).to_have_text(f"发票号码 {invoice.number}")
    [issued] = [r["content"] for r in nuonuo.requests if r["method"] == "nuonuo.OpeMplatform.requestBillingNew"]
    assert (issued["order"]["buyerName"], issued["order"]["buyerTaxNum"]) == (COMPANY, TAX_NUMBER)
    # when the driver opens the PDF
    pdf_path = f"/api/driver/invoices/{invoice.id}/pdf"
    async with phone.expect_response(lambda r: r.url.endswith(pdf_path)) as answer, phone.context.expect_page() as tab:
        await pdf_button.click()
    # then it came through the API as the provider's PDF, and opens in a tab of its own
    response = await answer.value
    assert (response.status, response.headers["content-type"]) == (200, "application/pdf")
    assert (await response.body()).startswith(b"%PDF-")
    assert (await tab.value).url.startswith("blob:")
    # and the two payments left the invoiceable list
    await open_page(phone, mp_server, "invoice")
    await expect(payments).to_have_count(1)
    await expect(payments).to_contain_text("¥8.00")
