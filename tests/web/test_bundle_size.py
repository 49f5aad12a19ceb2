"""The dashboard's first load stays at or under 300 kB of gzipped JavaScript (issue #8).

The first load is the entry chunk and everything it imports statically (what index.html pulls in); pages are
lazy chunks and load when opened. Reads the built files of clients/web/dist (built by `make clients`)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

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
