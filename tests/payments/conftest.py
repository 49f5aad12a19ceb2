"""Fakes served on 127.0.0.1 (real HTTP) for the payment tests, one set per test session."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from fakes.alipay import FakeAlipay
from fakes.recorder import NotificationRecorder
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from parking.common.database import Database
from parking.payments.callbacks import InMemoryNonceStore
from parking.payments.channels.alipay import AlipayChannel
from parking.payments.channels.wechat_parking import WeChatParkingService
from parking.payments.channels.wechatpay import WeChatPayChannel
from parking.payments.config import AlipayConfig, WeChatPayConfig
from parking.payments.gateway import Channels
from parking.payments.messages.dispatch import InProcessMessages
from parking.payments.messages.hooks import SERVICE
from tests.lanes.site import build_site
from tests.payments.flow import Flow
from tests.wechat import ServedWeChat, served_wechat


@pytest.fixture(scope="session")
def recorder() -> Iterator[tuple[NotificationRecorder, str]]:
    rec = NotificationRecorder()
    with serve_in_thread(rec.app) as url:
        yield rec, url


@pytest.fixture(scope="session")
def wechat_fake() -> Iterator[tuple[FakeWeChatPay, str]]:
    fake = FakeWeChatPay()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def wechat_config(
    wechat_fake: tuple[FakeWeChatPay, str], recorder: tuple[NotificationRecorder, str]
) -> WeChatPayConfig:
    fake, url = wechat_fake
    creds = fake.credentials()
    return WeChatPayConfig(
        mchid=creds.mchid,
        appid=creds.appid,
        merchant_serial_no=creds.merchant_serial_no,
        merchant_private_key_pem=creds.merchant_private_key_pem,
        apiv3_key=creds.apiv3_key,
        platform_public_key_pem=creds.platform_public_key_pem,
        platform_public_key_id=creds.platform_public_key_id,
        notify_url=f"{recorder[1]}/notify/wechatpay",
        base_url=url,
    )


@pytest.fixture
def wechat(wechat_config: WeChatPayConfig) -> WeChatPayChannel:
    return WeChatPayChannel(wechat_config, InMemoryNonceStore())


@pytest.fixture
async def wechat_control(wechat_fake: tuple[FakeWeChatPay, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{wechat_fake[1]}/_control", timeout=10) as client:
        yield client


@pytest.fixture(scope="session")
def alipay_fake() -> Iterator[tuple[FakeAlipay, str]]:
    fake = FakeAlipay()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def alipay_config(alipay_fake: tuple[FakeAlipay, str], recorder: tuple[NotificationRecorder, str]) -> AlipayConfig:
    fake, url = alipay_fake
    creds = fake.credentials()
    return AlipayConfig(
        app_id=creds.app_id,
        app_private_key_pem=creds.app_private_key_pem,
        alipay_public_key_pem=creds.alipay_public_key_pem,
        notify_url=f"{recorder[1]}/notify/alipay",
        gateway_url=f"{url}/gateway.do",
    )


@pytest.fixture
def alipay(alipay_config: AlipayConfig) -> AlipayChannel:
    return AlipayChannel(alipay_config, InMemoryNonceStore())


@pytest.fixture
async def alipay_control(alipay_fake: tuple[FakeAlipay, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{alipay_fake[1]}/_control", timeout=10) as client:
        yield client


@pytest.fixture
def channels(wechat: WeChatPayChannel, alipay: AlipayChannel, wechat_config: WeChatPayConfig) -> Channels:
    parking = WeChatParkingService(wechat_config, InMemoryNonceStore())
    return Channels(wechatpay=wechat, alipay=alipay, wechat_parking=parking)


@pytest.fixture
async def pay_client(db: Database, settings: Settings, channels: Channels) -> AsyncIterator[httpx.AsyncClient]:
    """Our app with the channels wired to the fakes; notifications are relayed to it from the recorder."""
    app = create_app(settings, db, channels)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
async def flow(
    db: Database,
    channels: Channels,
    pay_client: httpx.AsyncClient,
    recorder: tuple[NotificationRecorder, str],
    wechat_control: httpx.AsyncClient,
    alipay_control: httpx.AsyncClient,
) -> Flow:
    site = await build_site(db)
    return Flow(site, db, channels, pay_client, recorder[0], wechat_control, alipay_control)


# The fake WeChat API served over real HTTP, and the in-process message dispatch of the driver notifications.
@pytest.fixture
def served() -> Iterator[ServedWeChat]:
    with served_wechat() as s:
        yield s


@pytest.fixture
def wechat_api(served: ServedWeChat) -> FakeWeChatAPI:
    return served.fake


@pytest.fixture
async def messages(flow: Flow, served: ServedWeChat) -> AsyncIterator[InProcessMessages]:
    client = served.client()
    dispatch = InProcessMessages(flow.db, client)
    flow.db.services[SERVICE] = dispatch
    yield dispatch
    flow.db.services.pop(SERVICE, None)
    await client.aclose()
