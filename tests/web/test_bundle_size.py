"""The dashboard's first load stays at or under 300 kB of compressed JavaScript (issues #8 and #20).

The first load is the entry chunk and everything it imports statically (what index.html pulls in); pages are
lazy chunks and load when opened. Reads the built files of clients/web/dist (built by `make clients`), and
fetches them from the API as a browser would, counting the bytes that cross the wire."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from pathlib import Path

import httpx

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database
from tests.web.conftest import need_dist

LIMIT_BYTES = 300 * 1024


def initial_chunks(manifest: dict[str, dict[str, object]]) -> set[str]:
    """Files of the entry chunk and its static imports, followed transitively."""
    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    seen: set[str] = set()
    todo = [entry]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(str(k) for k in manifest[key].get("imports", []))  # type: ignore[attr-defined]
    return {str(manifest[key]["file"]) for key in seen}


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9))


def test_initial_load_is_at_most_300_kb_of_gzipped_js() -> None:
    dist = need_dist()
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    files = initial_chunks(manifest)
    html = (dist / "index.html").read_text()
    # Every script index.html names is part of the measured set (the manifest walk missed nothing).
    for file in files:
        assert f"/{file}" in html
    total = sum(gzipped_size(dist / f) for f in files if f.endswith(".js"))
    print(f"initial load: {len(files)} JS files, {total / 1024:.1f} kB gzipped")
    assert total <= LIMIT_BYTES


def test_initial_chunks_follow_static_imports_only() -> None:
    manifest: dict[str, dict[str, object]] = {
        "index.html": {"file": "a.js", "isEntry": True, "imports": ["_b.js"], "dynamicImports": ["c.vue"]},
        "_b.js": {"file": "b.js", "imports": ["_d.js"]},
        "_d.js": {"file": "d.js", "imports": ["_b.js"]},
        "c.vue": {"file": "c.js", "imports": ["_d.js"]},
    }
    assert initial_chunks(manifest) == {"a.js", "b.js", "d.js"}


# A parsed GraphQL document in the built code (clients/web/inlineDocuments.ts), as the minifier writes it: its
# operation's or fragment's name.
Q = "[`\"']"
DOCUMENT = re.compile(
    rf"kind:{Q}Document{Q},definitions:\[\{{kind:{Q}(?:Operation|Fragment)Definition{Q}"
    rf"(?:,operation:{Q}\w+{Q})?,name:\{{kind:{Q}Name{Q},value:{Q}(\w+){Q}"
)
ENGLISH = "Sign in to ParkCloud"  # the English catalogue's login title (clients/web/src/locales/en.ts)


def test_first_load_carries_me_alone_of_the_documents_and_no_english() -> None:
    """The entry holds `me`, the one query every visit asks first; each page's documents and the English
    catalogue come with lazy chunks (a cold load evaluates only what its page needs)."""
    dist = need_dist()
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    first = "".join((dist / f).read_text() for f in initial_chunks(manifest) if f.endswith(".js"))
    assert DOCUMENT.findall(first) == ["Me"]
    assert ENGLISH not in first
    everything = "".join(p.read_text() for p in (dist / "assets").glob("*.js"))
    assert {"Me", "Login", "Sessions", "Overview"} <= set(DOCUMENT.findall(everything))
    assert ENGLISH in everything


# What index.html makes the browser fetch before anything runs: the entry script and its preloads.
FIRST_LOAD = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="(/[^"]+\.js)"')


async def test_first_load_as_served_is_at_most_300_kb_of_compressed_js(db: Database, settings: Settings) -> None:
    dist = need_dist()
    app = create_app(replace(settings, web_dist=dist), db)
    transport = httpx.ASGITransport(app=app)
    browser = {"accept-encoding": "gzip, deflate, br, zstd"}  # what Chromium sends
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=browser) as http:
        index = await http.get("/", headers={"accept-encoding": "gzip"})  # httpx here reads gzip, not brotli
        assert index.headers["cache-control"] == "no-cache"
        scripts = FIRST_LOAD.findall(index.text)
        manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
        assert {s.removeprefix("/") for s in scripts} == {f for f in initial_chunks(manifest) if f.endswith(".js")}
        total = 0
        for script in scripts:
            async with http.stream("GET", script) as response:
                assert response.status_code == 200
                assert response.headers["content-encoding"] == "br"
                assert "immutable" in response.headers["cache-control"]
                sent = b"".join([chunk async for chunk in response.aiter_raw()])
            assert len(sent) == int(response.headers["content-length"])
            total += len(sent)
    print(f"first load as served: {len(scripts)} JS files, {total / 1024:.1f} kB brotli")
    assert total <= LIMIT_BYTES
