"""Every page of the dashboard in zh-CN, signed in as the demo's platform admin over the demo data: no visible
text may be Latin-only unless it is a plate, an id or number, a unit or a listed acronym. The routes are read
from the router's source (clients/web/src/routes.ts), so a page added later is checked too. On each page the
filters' dropdowns are opened, then the create dialog, a row's edit dialog and a row's detail drawer (where the
demo has rows), each with every select dropdown it holds opened in turn. A screenshot of each page, dialog and
drawer goes to test-artifacts/zh-cn/."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from parking.accounts.models import ApiKey, Operator
from parking.common.audit import AuditEntry
from parking.common.database import Database
from parking.common.scope import Scope
from parking.demo import DEMO_ADMIN_PASSWORD, DEMO_ADMIN_USERNAME, load_demo
from parking.devices.models import Device
from parking.tenancy.models import Lane
from tests.web.conftest import ROOT, need_dist, start_server

pytestmark = pytest.mark.browser

ROUTES_SOURCE = ROOT / "clients" / "web" / "src" / "routes.ts"
SHOTS = ROOT / "test-artifacts" / "zh-cn"

# Acronyms and units an operator reads as they are in Chinese software too.
ACRONYMS = frozenset(
    {"CSV", "ID", "API", "QR", "PDF", "ETC", "VIP", "IP", "URL", "SN", "UTC", "JSON", "PNG", "OK", "T", "V", "AI"}
)
UNITS = frozenset({"kB", "KB", "MB", "GB", "km", "m", "min", "h", "s", "ms", "px", "x", "fen"})
# The language switch names the other language in that language.
LANGUAGE_SWITCH = "English"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
# What opens a row's detail drawer on the pages that have one: a stay, a device's commands, a lot, a merchant.
DRAWER_OPENERS = "[data-test=stay-open], [data-test=device-commands], [data-test^=lot-open-], [data-test=row-account]"
# A page or dialog's select dropdowns opened at most this many at a time (a form has fewer; bounds the run).
MOST_SELECTS = 10

VISIBLE_TEXTS = """() => {
  const texts = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim()
    const el = node.parentElement
    if (!text || !el || el.closest('script, style, noscript, svg, canvas')) continue
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue
    texts.push(text)
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.checkVisibility() && el.placeholder) texts.push(el.placeholder)
  }
  return texts
}"""


def router_paths() -> list[str]:
    """Every path literal of the router: `path: '/x'` and the paths a mapped block picks (`? '/a' : '/b'`)."""
    source = ROUTES_SOURCE.read_text(encoding="utf-8")
    routes = source[source.index("export const routes") : source.index("export interface MenuItem")]
    return list(dict.fromkeys(re.findall(r"'(/[^'\s:]*)'", routes)))


def latin_only(text: str, identifiers: frozenset[str]) -> bool:
    """Latin letters and no Chinese, with some word that is not a number, id, unit, acronym or known identifier."""
    if CJK.search(text) or not LATIN.search(text) or text == LANGUAGE_SWITCH or text in identifiers:
        return False
    for token in re.findall(r"[A-Za-z0-9_]+", text):
        if any(c.isdigit() for c in token) or token in ACRONYMS or token in UNITS or token in identifiers:
            continue
        return True
    return False


async def demo_identifiers(db: Database) -> frozenset[str]:
    """What the demo names by identifiers rather than words: usernames (and the audit log's actor names), device
    serials, models and protocols, API key prefixes and lane QR tokens."""
    async with db.session(Scope.internal()) as s:
        names = set(await s.scalars(select(Operator.username)))
        for serial, model, protocol in await s.execute(select(Device.serial, Device.model, Device.protocol)):
            names.update(x for x in (serial, model, protocol) if x)
        names.update(await s.scalars(select(ApiKey.prefix)))
        names.update(await s.scalars(select(Lane.qr_token)))
        names.update(await s.scalars(select(AuditEntry.actor_name)))
    return frozenset(names)


@pytest.fixture
async def demo_url(db: Database, tmp_path: Path, server_process: list[object]) -> str:
    dist = need_dist()
    assert await load_demo(db, days=1)
    database_url = db.engine.url.render_as_string(hide_password=False)
    proc, url = await asyncio.to_thread(start_server, database_url, tmp_path / "var", dist)
    server_process.append(proc)
    return url


@pytest.fixture
async def zh_page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    yield await context.new_page()
    await context.close()


async def settled(page: Page) -> None:
    """Requests answered and no table or card still loading, so the page shows its data."""
    # The console falls back to polling without its socket, so the network may never be idle: bounded wait.
    with suppress(PlaywrightTimeout):
        await page.wait_for_load_state("networkidle", timeout=5000)
    await expect(page.locator(".el-loading-mask:visible")).to_have_count(0)


async def test_every_page_in_zh_cn_shows_no_latin_only_label(
    zh_page: Page, demo_url: str, db: Database, request: pytest.FixtureRequest
) -> None:
    page = zh_page
    paths = router_paths()
    assert {"/", "/login", "/devices", "/payments/refunds", "/merchants/coupons"} <= set(paths)
    identifiers = await demo_identifiers(db)
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}

    async def check(path: str, shot: bool = True) -> None:
        await settled(page)
        name = path.strip("/").replace("/", "-").replace("#", "-") or "home"
        if shot:
            await page.screenshot(path=str(SHOTS / f"{request.node.name.replace('[', '-').rstrip(']')}-{name}.png"))
        texts = await page.evaluate(VISIBLE_TEXTS)
        bad = sorted({text for text in texts if latin_only(text, identifiers)})
        if bad:
            found[path] = bad

    async def check_dropdowns(scope: Locator, path: str) -> None:
        """Open each enabled select within ``scope`` in turn and check its options, then close it again."""
        # Handles, not positions: a page that re-renders (a table loading more) must not shift the list under us.
        selects = await scope.locator(".el-select:visible").element_handles()
        for i, box in enumerate(selects[:MOST_SELECTS]):
            disabled = await box.evaluate("el => !el.isConnected || !!el.querySelector('.is-disabled')")
            if disabled or not await box.is_visible():
                continue
            try:
                await box.click(timeout=5000)
            except PlaywrightError:
                continue  # gone since it was listed (the page re-rendered it)
            dropdown = page.locator(".el-select__popper:visible")
            try:
                await expect(dropdown).to_have_count(1, timeout=3000)
            except AssertionError:
                continue  # a select whose options are not loaded (none to pick) shows no list
            await check(f"{path}#select{i}", shot=False)
            # The caret toggles the list (a click on a filterable select's input would keep it open).
            caret = await box.query_selector(".el-select__caret")
            try:
                await (caret or box).click(timeout=5000)
            except PlaywrightError:
                # The select re-rendered while its list was open (the page was still loading): its caret is gone;
                # Escape closes a list that is still showing.
                await page.keyboard.press("Escape")
            await expect(dropdown).to_have_count(0)

    async def check_dialog(opener: Locator, path: str, what: str) -> None:
        """A dialog or drawer opened by ``opener``: its texts, then each of its selects' options; closed again."""
        await opener.click()
        layer = page.locator(".el-dialog:visible, .el-drawer:visible")
        await expect(layer).to_have_count(1)
        await check(f"{path}#{what}")
        await check_dropdowns(layer, f"{path}#{what}")
        # Its close button: Escape would go to the select last opened, which keeps the focus.
        await layer.locator(".el-dialog__headerbtn, .el-drawer__close-btn").first.click()
        await expect(layer).to_have_count(0)

    # The sign-in page first, as a stranger sees it; then every page as the demo's platform admin.
    await page.goto(f"{demo_url}/#/login")
    await expect(page.locator("[data-test=login-submit]")).to_be_visible()
    await check("/login")
    await page.fill("input[name=username]", DEMO_ADMIN_USERNAME)
    await page.fill("input[name=password]", DEMO_ADMIN_PASSWORD)
    await page.click("[data-test=login-submit]")
    await expect(page.locator("[data-test=overview-cards]")).to_be_visible()
    for path in paths:
        if path == "/login":
            continue
        await page.goto(f"{demo_url}/#{path}")
        # The admin holds every permission, so no page redirects elsewhere.
        await expect(page).to_have_url(re.compile(re.escape(f"#{path}") + r"(\?.*)?$"))
        await check(path)
        # The filters' (and the page's other) dropdowns with their options.
        await check_dropdowns(page.locator("body"), path)
        # A list page's create form too: its labels, placeholders and every select's options; then a row's edit
        # form and its detail drawer where the demo has rows.
        for opener, what in (
            ("[data-test=create]", "create"),
            ("[data-test=row-edit]", "edit"),
            (DRAWER_OPENERS, "drawer"),
        ):
            found_opener = page.locator(opener).locator("visible=true")
            if await found_opener.count():
                await check_dialog(found_opener.first, path, what)
    assert found == {}, "\n".join(f"{path}: {texts}" for path, texts in found.items())
