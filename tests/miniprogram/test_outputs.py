"""What the mini-program's builds hand over: the mp-weixin package WeChat would load (every page there with its
files, every component it names, no browser-only API, the main package within WeChat's 2 MB) and the H5 build's
first load (entry, its static imports and the first page, gzipped) within 200 kB."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from tests.miniprogram.conftest import PROJECT, need_h5, need_mp

MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024
H5_FIRST_LOAD_LIMIT = 200 * 1024
# Browser globals that do not exist in the mini-program's JS engine (uni.* / wx.* are the ways there).
H5_ONLY = re.compile(r"(?<![\w$.])(?:window|document|localStorage|sessionStorage)\s*\.")


def _app(dist: Path) -> dict[str, object]:
    app: dict[str, object] = json.loads((dist / "app.json").read_text())
    return app


def _pages(app: dict[str, object]) -> list[str]:
    pages = [str(p) for p in app["pages"]]  # type: ignore[attr-defined]
    for sub in app.get("subPackages", app.get("subpackages", [])):  # type: ignore[attr-defined]
        pages.extend(f"{sub['root'].rstrip('/')}/{p}" for p in sub["pages"])
    return pages


def test_every_page_in_app_json_is_built_with_its_files() -> None:
    dist = need_mp()
    pages = _pages(_app(dist))
    assert "pages/index/index" in pages
    for page in pages:
        for ext in (".wxml", ".js", ".json"):
            assert (dist / f"{page}{ext}").is_file(), f"{page}{ext} missing"


def test_every_component_a_page_uses_is_in_the_package() -> None:
    dist = need_mp()
    for config in dist.rglob("*.json"):
        if config.name in ("app.json", "project.config.json"):
            continue
        using = json.loads(config.read_text()).get("usingComponents", {})
        for name, path in using.items():
            base = (dist / path.lstrip("/")) if path.startswith("/") else (config.parent / path)
            for ext in (".js", ".json", ".wxml"):
                assert base.with_name(base.name + ext).is_file(), f"{config}: {name} → {path}{ext}"


def test_no_browser_only_api_in_the_mp_weixin_bundle() -> None:
    dist = need_mp()
    found = {
        str(js.relative_to(dist)): sorted(set(H5_ONLY.findall(js.read_text())))
        for js in dist.rglob("*.js")
        if H5_ONLY.search(js.read_text())
    }
    assert found == {}


def test_h5_only_pattern_finds_globals_not_properties() -> None:
    assert H5_ONLY.search("x=window.location")
    assert H5_ONLY.search(";localStorage.getItem('a')")
    assert not H5_ONLY.search("e.document.title")
    assert not H5_ONLY.search("uni.getStorageSync('a')")


def test_main_package_is_within_two_megabytes() -> None:
    dist = need_mp()
    app = _app(dist)
    subroots = [str(s["root"]).rstrip("/") + "/" for s in app.get("subPackages", [])]  # type: ignore[attr-defined]
    size = sum(
        f.stat().st_size
        for f in dist.rglob("*")
        if f.is_file() and not any(str(f.relative_to(dist)).startswith(r) for r in subroots)
    )
    print(f"mp-weixin main package: {size / 1024:.1f} kB")
    assert size <= MAIN_PACKAGE_LIMIT


def first_load(manifest: dict[str, dict[str, object]], first_page: str) -> set[str]:
    """The entry chunk and the first page's chunk, with their static imports, followed transitively."""
    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    seen: set[str] = set()
    todo = [entry, first_page]
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        todo.extend(str(k) for k in manifest[key].get("imports", []))  # type: ignore[attr-defined]
    return {str(manifest[key]["file"]) for key in seen}


def test_first_load_follows_static_imports_only() -> None:
    manifest: dict[str, dict[str, object]] = {
        "index.html": {"file": "a.js", "isEntry": True, "dynamicImports": ["src/pages/index/index.vue", "o.vue"]},
        "src/pages/index/index.vue": {"file": "p.js", "imports": ["index.html", "_b.js"]},
        "_b.js": {"file": "b.js"},
        "o.vue": {"file": "o.js", "imports": ["_c.js"]},
        "_c.js": {"file": "c.js"},
    }
    assert first_load(manifest, "src/pages/index/index.vue") == {"a.js", "p.js", "b.js"}


def test_h5_first_load_is_at_most_200_kb_of_gzipped_js() -> None:
    dist = need_h5()
    manifest = json.loads((dist / ".vite" / "manifest.json").read_text())
    # The first page of src/pages.json is the one the app opens on.
    first_page = json.loads((PROJECT / "src" / "pages.json").read_text())["pages"][0]["path"]
    files = first_load(manifest, f"src/{first_page}.vue")
    assert f"./{manifest['index.html']['file']}" in (dist / "index.html").read_text()
    total = sum(len(gzip.compress((dist / f).read_bytes(), compresslevel=9)) for f in files if f.endswith(".js"))
    print(f"H5 first load: {len(files)} JS files, {total / 1024:.1f} kB gzipped")
    assert total <= H5_FIRST_LOAD_LIMIT


def test_h5_css_loads_nothing_from_other_origins() -> None:
    """The API's Content-Security-Policy allows fonts and images from itself only (vite.config.ts strips the
    CDN faces and images wot-design-uni and uni-h5 name)."""
    dist = need_h5()
    remote = {
        str(css.relative_to(dist)): re.findall(r"url\(\s*['\"]?(https?:[^)'\"]+)", css.read_text())
        for css in dist.rglob("*.css")
    }
    assert {name: urls for name, urls in remote.items() if urls} == {}
