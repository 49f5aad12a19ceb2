"""The Nuonuo wire format against the fake: signed requests pass, a wrong key, signature or token is refused;
amounts and tax as Nuonuo writes them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from config.invoice_provider import load_invoice_providers
from fakes.__main__ import credentials_document, write_credentials
from fakes.alipay import FakeAlipay
from fakes.nuonuo import FakeNuonuo
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from parking.demo import DEMO_SELLER_TAX_NUMBER
from parking.invoices.nuonuo import (
    NuonuoAccount,
    NuonuoClient,
    NuonuoConfig,
    NuonuoProviders,
    billing_content,
    rate,
    yuan,
)
from parking.invoices.provider import (
    BlueRequest,
    Buyer,
    Line,
    ProviderDuplicate,
    ProviderRefused,
    ProviderState,
    RedRequest,
    Seller,
    tax_of,
)


def request(fake: FakeNuonuo, order_no: str = "PCB00000000000001") -> BlueRequest:
    seller = Seller("上海停车管理有限公司", fake.tax_number, "上海市徐汇区", "021-12345678", "工行 123", "张会计")
    return BlueRequest(
        order_no=order_no,
        seller=seller,
        buyer=Buyer("张三", "", "zs@example.com"),
        lines=(Line("停车费", "3040502020200000000", 1850, 90),),
        issued_at_local="2026-12-06 20:00:00",
    )


def test_amounts_and_tax_as_nuonuo_writes_them() -> None:
    assert (yuan(1850), yuan(5), yuan(0)) == ("18.50", "0.05", "0.00")
    assert (rate(90), rate(60), rate(10), rate(0)) == ("0.09", "0.06", "0.01", "0")
    assert tax_of(1850, 90) == 153  # 18.50 / 1.09 × 0.09 = 1.5275...
    line = billing_content(request(FakeNuonuo()))["order"]["invoiceDetail"][0]
    assert (line["taxIncludedAmount"], line["taxExcludedAmount"], line["tax"]) == ("18.50", "16.97", "1.53")


async def test_signed_requests_pass_and_forged_ones_are_refused(
    nuonuo: FakeNuonuo, nuonuo_served: tuple[FakeNuonuo, str], providers: NuonuoProviders
) -> None:
    client = providers.for_seller(nuonuo.tax_number)
    assert client is not None
    assert providers.for_seller("91310000MA1FL0000X") is None
    serial = await client.issue(request(nuonuo))
    found = await client.query(nuonuo.tax_number, "PCB00000000000001")
    assert found is not None
    assert found.serial_no == serial
    assert found.pdf_url.endswith(f"/fp/{serial}.pdf")
    assert await client.query(nuonuo.tax_number, "PCB99999999999999") is None
    assert isinstance(client, NuonuoClient)
    account = client.account
    wrong = {
        "070314": replace(account, app_secret="0" * 32),  # the signature does not verify
        "070302": replace(account, access_token="stale"),
        "070301": replace(account, app_key="other"),
    }
    for code, bad in wrong.items():
        forged = NuonuoClient(client.config, bad, nuonuo.tax_number)
        with pytest.raises(ProviderRefused) as refused:
            await forged.issue(request(nuonuo, "PCB00000000000002"))
        assert refused.value.code == code
    assert list(nuonuo.invoices) == ["PCB00000000000001"]
    assert account.app_secret not in repr(account)
    assert account.access_token not in repr(account)
    assert NuonuoConfig(accounts={"x": NuonuoAccount("k", "s", "t")}).accounts["x"].app_key == "k"


def test_the_fakes_credentials_name_the_nuonuo_account(tmp_path: Path) -> None:
    fake = FakeNuonuo()
    urls = {n: f"http://127.0.0.1:{p}" for n, p in (("wechatpay", 1), ("alipay", 2), ("wechat_api", 3), ("nuonuo", 4))}
    path = tmp_path / "credentials.json"
    write_credentials(path, credentials_document(FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI(), urls, fake))
    providers = load_invoice_providers(path)
    assert providers.config.base_url == "http://127.0.0.1:4/open/v1/services"
    client = providers.for_seller(fake.tax_number)
    assert isinstance(client, NuonuoClient)
    assert client.account == NuonuoAccount(fake.app_key, fake.app_secret, fake.access_token)
    assert load_invoice_providers(None).for_seller(fake.tax_number) is None


def test_the_demo_seller_is_the_fakes_account() -> None:
    assert FakeNuonuo().tax_number == DEMO_SELLER_TAX_NUMBER


async def test_a_red_letter_form_reverses_an_issued_invoice_once(
    nuonuo: FakeNuonuo, providers: NuonuoProviders
) -> None:
    client = providers.for_seller(nuonuo.tax_number)
    assert client is not None
    await client.issue(request(nuonuo))
    blue = await client.query(nuonuo.tax_number, "PCB00000000000001")
    assert blue is not None
    seller = "上海停车管理有限公司"
    red = RedRequest("PCR00000000000001", nuonuo.tax_number, seller, "张三", blue.number, "2026-12-06 21:00:00")
    assert await client.query_reversal(nuonuo.tax_number, red.order_no) is None
    assert await client.reverse(red) == red.order_no
    found = await client.query_reversal(nuonuo.tax_number, red.order_no)
    assert found is not None
    assert (found.state, len(found.number)) == (ProviderState.ISSUED, 18)
    with pytest.raises(ProviderDuplicate):
        await client.reverse(red)
    unknown = replace(red, order_no="PCR00000000000002", blue_number="0" * 20)
    with pytest.raises(ProviderRefused) as refused:
        await client.reverse(unknown)
    assert refused.value.code == "E9201"
    assert [r["kind"] for r in nuonuo.invoices.values()] == ["blue", "red"]
