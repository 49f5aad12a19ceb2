"""Where the mini-program's builds are (clients/miniprogram, `npm run build:h5` / `build:mp-weixin`, run by
`make clients` / `make mp-test`): missing builds skip locally and fail under CI=true."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, ViewportSize

from fakes.__main__ import write_credentials
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay
from parking.common.database import Database
from tests.conftest import need_service
from tests.web.conftest import browser, free_port, server_process, start_server
from tests.zygote import ServerProcess

__all__ = ["browser", "server_process"]  # fixtures of tests/web, used here too

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "clients" / "miniprogram"
H5_DIST = PROJECT / "dist" / "build" / "h5"
MP_DIST = PROJECT / "dist" / "build" / "mp-weixin"


def need_h5() -> Path:
    if not (H5_DIST / "index.html").exists():
        need_service("mini-program H5 build", "run `make clients` (npm run build:h5 in clients/miniprogram)")
    return H5_DIST


def need_mp() -> Path:
    if not (MP_DIST / "app.json").exists():
        need_service("mini-program mp-weixin build", "run `make mp-test` (npm run build:mp-weixin)")
    return MP_DIST


# --- the H5 build against a real server on the local fakes, in chromium at a phone's size -------------------------

PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass
class Fakes:
    wechatpay: FakeWeChatPay
    wechatpay_url: str
    wechat_api: FakeWeChatAPI
    wechat_api_url: str


@dataclass
class MiniProgramServer:
    url: str
    fakes: Fakes


@pytest.fixture(scope="session")
def fakes() -> Iterator[Fakes]:
    pay, api = FakeWeChatPay(), FakeWeChatAPI()
    with serve_in_thread(pay.app) as pay_url, serve_in_thread(api.app) as api_url:
        yield Fakes(pay, pay_url, api, api_url)


@pytest.fixture
def more_credentials() -> dict[str, dict[str, Any]]:
    """Sections of the server's credentials file beside WeChat Pay's; a test module overrides it (e-invoices add
    the fake Nuonuo's)."""
    return {}


@pytest.fixture
async def mp_server(
    db: Database,
    tmp_path: Path,
    server_process: list[ServerProcess],
    fakes: Fakes,
    more_credentials: dict[str, dict[str, Any]],
) -> MiniProgramServer:
    """The API serving the H5 build at /m/, paying through the fake WeChat Pay (which notifies it over HTTP) and
    logging drivers in through the fake WeChat API, with the dev bridge on, as under `make run`."""
    dist = need_h5()
    credentials = tmp_path / "credentials.json"
    write_credentials(
        credentials,
        {
            "wechatpay": {**fakes.wechatpay.credentials().__dict__, "base_url": fakes.wechatpay_url},
            **more_credentials,
        },
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "PARKCLOUD_MINIPROGRAM_DIST": str(dist),
        "PARKCLOUD_DEV_FAKES": "true",
        "PARKCLOUD_PAYMENT_CREDENTIALS": str(credentials),
        "PARKCLOUD_PUBLIC_URL": url,
        "PARKCLOUD_WECHAT_API_URL": fakes.wechat_api_url,
        "PARKCLOUD_WECHAT_APPID": fakes.wechat_api.appid,
        "PARKCLOUD_WECHAT_SECRET": fakes.wechat_api.secret,
    }
    database_url = db.engine.url.render_as_string(hide_password=False)
    proc, url = await asyncio.to_thread(
        start_server, database_url, tmp_path / "var", tmp_path / "no-web", port=port, extra_env=env
    )
    server_process.append(proc)
    return MiniProgramServer(url=url, fakes=fakes)


@pytest.fixture
async def phone(browser: Browser, mp_server: MiniProgramServer) -> AsyncIterator[Page]:
    """A phone-sized tab; anything the Content-Security-Policy blocks fails the test."""
    context = await browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    tab = await context.new_page()
    blocked: list[str] = []
    tab.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield tab
    await context.close()
    assert blocked == []
