"""The H5 mini-program over HTTP: served under /m/ beside the dashboard at /, the printed codes' /m/c/<payload>
sent on to its scan page, and the development bridge to the fakes there only when asked for."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from config.settings import InsecureSettings, Settings, check
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from parking.common.database import Database


@pytest.fixture(scope="module")
def wechat_api() -> Iterator[tuple[FakeWeChatAPI, str]]:
    fake = FakeWeChatAPI()
    with serve_in_thread(fake.app) as url:
        yield fake, url


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>dashboard</title>")
    mp = tmp_path / "mp"
    (mp / "assets").mkdir(parents=True)
    (mp / "index.html").write_text('<!doctype html><title>停车</title><script src="./assets/index-Ab12.js"></script>')
    (mp / "assets" / "index-Ab12.js").write_text("console.log('mp')")
    return replace(settings, web_dist=web, miniprogram_dist=mp)


async def test_h5_app_is_served_under_m_and_the_dashboard_at_the_root(client: httpx.AsyncClient) -> None:
    page = await client.get("/m/")
    assert page.status_code == 200
    assert "<title>停车</title>" in page.text
    assert page.headers["cache-control"] == "no-cache"
    script = await client.get("/m/assets/index-Ab12.js")
    assert script.status_code == 200
    assert "immutable" in script.headers["cache-control"]
    assert "dashboard" in (await client.get("/")).text


async def test_a_printed_code_url_lands_on_the_h5_scan_page_with_its_payload(client: httpx.AsyncClient) -> None:
    payload = "3f.AbCdEfGhIjKl.1x2y3z.0123456789abcdefABCDEF"
    response = await client.get(f"/m/c/{payload}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/m/#/pages/scan/scan?payload={payload}"


async def test_the_dev_bridge_is_absent_unless_asked_for(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/dev/wechat/login-code", json={})
    assert response.status_code in (404, 405)


async def test_the_dev_bridge_hands_out_fake_wechat_login_codes(
    db: Database, settings: Settings, wechat_api: tuple[FakeWeChatAPI, str]
) -> None:
    fake, url = wechat_api
    local = replace(settings, dev_fakes=True, wechat_api_url=url, wechat_appid=fake.appid, wechat_secret=fake.secret)
    app = create_app(local, db)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        code = (await http.post("/api/dev/wechat/login-code", json={"openid": "o-driver-1"})).json()["code"]
        login = await http.post("/api/driver/login", json={"code": code})
        assert login.status_code == 200
        assert login.json()["token"]
        # No WeChat Pay fake configured: the payment stand-in says so rather than failing.
        refused = await http.post("/api/dev/wechatpay/request-payment", json={"package": "prepay_id=x"})
        assert refused.status_code == 503


def test_production_refuses_the_dev_bridge(settings: Settings) -> None:
    with pytest.raises(InsecureSettings, match="DEV_FAKES"):
        check(replace(settings, environment="production", secret_key="x" * 48, dev_fakes=True))
