"""The fake Nuonuo served on 127.0.0.1 (real HTTP), our app pointed at it through a credentials file, a world of
tenants with lot A1a invoicing, and paid orders of two drivers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from config.invoice_provider import load_invoice_providers
from config.settings import Settings
from fakes.nuonuo import SERVICES_PATH, FakeNuonuo
from fakes.serve import serve_in_thread
from parking.common.database import Database
from parking.common.scope import Scope
from parking.drivers import issue_driver_token
from parking.invoices.dispatch import InProcessInvoices
from parking.invoices.hooks import SERVICE
from parking.invoices.nuonuo import NuonuoConfig, NuonuoProviders
from parking.payments.ids import new_out_trade_no
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder, PaymentPurpose
from tests.conftest import GraphQL
from tests.factories import SECRET, World, build_world

DRIVER, OTHER_DRIVER = "o-driver-one", "o-driver-two"

SETTINGS = """
mutation S($lot: ID!, $input: LotInvoiceSettingsInput!) {
  lotInvoiceSettingsUpdate(lotId: $lot, input: $input) {
    __typename
    ... on LotInvoiceSettingsSuccess { settings { lotId sellerName sellerTaxNumber taxRatePermille deadlineDays } }
    ... on InvoiceError { code message field }
  }
}
"""
REQUEST = """
mutation R($input: InvoiceRequestInput!) {
  invoiceRequest(input: $input) {
    __typename
    ... on DriverInvoiceSuccess { invoice { id amountFen status orderIds title buyerKind taxNumber } }
    ... on InvoiceError { code message field }
  }
}
"""


@pytest.fixture(scope="session")
def nuonuo_served() -> Iterator[tuple[FakeNuonuo, str]]:
    fake = FakeNuonuo()
    with serve_in_thread(fake.app) as url:
        fake.base_url = url
        yield fake, url


@pytest.fixture
def nuonuo(nuonuo_served: tuple[FakeNuonuo, str]) -> FakeNuonuo:
    fake = nuonuo_served[0]
    fake.invoices.clear()
    fake.requests.clear()
    fake.down, fake.failing_calls, fake.delay_s = False, 0, 0.0
    return fake


@pytest.fixture
def credentials(tmp_path: Path, nuonuo: FakeNuonuo, nuonuo_served: tuple[FakeNuonuo, str]) -> Path:
    path = tmp_path / "credentials.json"
    section = {**nuonuo.credentials(), "base_url": f"{nuonuo_served[1]}{SERVICES_PATH}"}
    path.write_text(json.dumps({"nuonuo": section}))
    return path


@pytest.fixture
def providers(credentials: Path) -> NuonuoProviders:
    return load_invoice_providers(credentials)


def impatient(providers: NuonuoProviders, read_timeout_s: float) -> NuonuoProviders:
    """The same accounts with a read timeout shorter than the fake's delay: an answer lost after the fact."""
    config = providers.config
    return NuonuoProviders(
        NuonuoConfig(config.accounts, config.base_url, connect_timeout_s=2.0, read_timeout_s=read_timeout_s)
    )


@dataclass
class Invoicing:
    db: Database
    http: httpx.AsyncClient
    gql: GraphQL
    world: World
    fake: FakeNuonuo
    providers: NuonuoProviders
    driver: str
    other_driver: str

    @property
    def dispatch(self) -> InProcessInvoices:
        dispatch = self.db.services.get(SERVICE)
        assert isinstance(dispatch, InProcessInvoices)
        return dispatch

    async def paid_order(
        self, lot: str = "A1a", payer: str = DRIVER, fen: int = 600, paid_days_ago: float = 1.0, **extra: Any
    ) -> int:
        now = datetime.now(UTC)
        async with self.db.transaction(Scope.internal()) as s:
            values: dict[str, Any] = {
                "agent_id": self.world.ids[f"agent:{lot[0]}"],
                "customer_id": self.world.ids[f"customer:{lot[:2]}"],
                "lot_id": self.world.ids[f"lot:{lot}"],
                "out_trade_no": new_out_trade_no(now),
                "channel": PaymentChannel.WECHAT_JSAPI,
                "purpose": PaymentPurpose.PARKING_EXIT,
                "status": OrderStatus.PAID,
                "session_id": None,
                "plate": "粤B12345",
                "payer_key": payer,
                "amount_fen": fen,
                "paid_at": now - timedelta(days=paid_days_ago),
                "channel_trade_no": f"42000{now.timestamp():.0f}",
                **extra,
            }
            order = PaymentOrder(**values)
            s.add(order)
            await s.flush()
            return order.id

    async def request(self, order_ids: Sequence[int | str], token: str | None = None, **input: Any) -> dict[str, Any]:
        variables = {"orderIds": [str(i) for i in order_ids], "title": "张三", "email": "zs@example.com", **input}
        body = await self.gql(REQUEST, {"input": variables}, token=token or self.token(self.driver))
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["invoiceRequest"]
        return result

    def token(self, openid: str) -> str:
        return issue_driver_token(SECRET, openid, datetime.now(UTC), 3600)

    async def set_lot(self, lot: str = "A1a", token: str | None = None, **input: Any) -> dict[str, Any]:
        values = {"sellerName": "上海停车管理有限公司", "sellerTaxNumber": self.fake.tax_number, **input}
        body = await self.gql(
            SETTINGS,
            {"lot": self.world.id(f"lot:{lot}"), "input": values},
            token=token or self.world.tokens["platform"],
        )
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"]["lotInvoiceSettingsUpdate"]
        return result


@pytest.fixture
async def invoicing(
    db: Database, settings: Settings, credentials: Path, nuonuo: FakeNuonuo, providers: NuonuoProviders
) -> AsyncIterator[Invoicing]:
    app = create_app(replace(settings, payment_credentials=credentials), db)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.11", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        world = await build_world(db)
        ctx = Invoicing(db, http, GraphQL(http), world, nuonuo, providers, DRIVER, OTHER_DRIVER)
        assert (await ctx.set_lot())["__typename"] == "LotInvoiceSettingsSuccess"
        yield ctx
        await ctx.dispatch.drain()
