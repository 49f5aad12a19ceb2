"""Browser tests: the real API under uvicorn on a free loopback port, serving the built dashboard, driven by
Debian's chromium through Playwright. Missing chromium or dist skips locally and fails under CI=true."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from parking.common.database import Database
from tests.conftest import need_service
from tests.factories import PASSWORD, SECRET, World, build_world
from tests.zygote import ServerProcess, use_zygote, zygote

ROOT = Path(__file__).resolve().parents[2]
WEB_DIST = ROOT / "clients" / "web" / "dist"
ARTIFACTS = ROOT / "var" / "test-artifacts" / "web"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Ceilings on waiting for a condition, not timings: a starved machine (other jobs loading both cores) may need
# them, a working one never comes near. Playwright's own default for `expect` is 5 s.
SERVER_START_LIMIT_S = 300
EXPECT_LIMIT_MS = 30_000
expect.set_options(timeout=EXPECT_LIMIT_MS)


def chromium_path() -> str:
    path = os.environ.get("PARKCLOUD_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        need_service("chromium", "apt-get install chromium chromium-driver fonts-noto-cjk")
    return path


def need_dist() -> Path:
    if not (WEB_DIST / "index.html").exists():
        need_service("web dist", "run `make clients` (npm ci && npm run build in clients/web)")
    return WEB_DIST


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveApi:
    url: str
    world: World
    backend: str

    def gql(self, query: str, variables: dict[str, object] | None = None, *, token: str) -> dict[str, object]:
        response = httpx.post(
            f"{self.url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        response.raise_for_status()
        body: dict[str, object] = response.json()
        return body


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[list[ServerProcess]]:
    holder: list[ServerProcess] = []
    yield holder
    for proc in holder:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_server(
    database_url: str, var_dir: Path, dist: Path, *, port: int | None = None, extra_env: dict[str, str] | None = None
) -> tuple[ServerProcess, str]:
    """Run uvicorn with the app factory on a free loopback port (or ``port``) and wait until /healthz answers.

    The server is forked from the run's zygote (tests/zygote.py), which has the app imported already."""
    port = port or free_port()
    env = {
        **os.environ,
        "PARKCLOUD_DATABASE_URL": database_url,
        "PARKCLOUD_SECRET_KEY": SECRET,
        "PARKCLOUD_VAR_DIR": str(var_dir),
        "PARKCLOUD_WEB_DIST": str(dist),
        **(extra_env or {}),
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / "uvicorn.log"
    proc: ServerProcess
    if use_zygote():
        proc = zygote().spawn(env, log_path, "127.0.0.1", port)
    else:
        command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"]
        # The interpreter itself (not a wrapper script), so terminate() reaches the server.
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [*command, "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    url = f"http://127.0.0.1:{port}"
    # Wait for the server to answer, or to die (which fails at once). The limit only stops a hung start: on the
    # shared 2-core machine at load 15, importing the app alone took 55 s of wall time (4 s of CPU), so a 30 s
    # limit failed tests whose server was merely starting.
    deadline = time.monotonic() + SERVER_START_LIMIT_S
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"API did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.1)


@pytest.fixture
async def live_api(db: Database, backend: str, tmp_path: Path, server_process: list[ServerProcess]) -> LiveApi:
    dist = need_dist()
    world = await build_world(db)
    database_url = db.engine.url.render_as_string(hide_password=False)
    proc, url = await asyncio.to_thread(start_server, database_url, tmp_path / "var", dist)
    server_process.append(proc)
    return LiveApi(url=url, world=world, backend=backend)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Browser, live_api: LiveApi, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    zone = request.node.get_closest_marker("browser_zone")
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", timezone_id=zone.args[0] if zone else None
    )
    tab = await context.new_page()
    # The dashboard runs under its Content-Security-Policy (api/headers.py): anything the policy blocks is
    # reported on the console, and fails the test that caused it.
    blocked: list[str] = []
    tab.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield tab
    await context.close()
    assert blocked == []


def shot_path(request: pytest.FixtureRequest, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.replace("[", "-").replace("]", "")
    return ARTIFACTS / f"{test}-{name}.png"


async def login(page: Page, api: LiveApi, username: str, password: str = PASSWORD) -> None:
    await page.goto(f"{api.url}/#/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("[data-test=login-submit]")
