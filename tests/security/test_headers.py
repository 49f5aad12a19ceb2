"""Security headers: the dashboard's pages carry the CSP (never framed), every answer nosniff and no referrer.

That the built dashboard works under this CSP is checked by every browser test: tests/web/conftest.py fails a
test on any Content-Security-Policy report in the console.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx

from api.app import create_app
from api.headers import DASHBOARD_CSP
from config.settings import Settings
from parking.common.database import Database


async def test_dashboard_and_api_answers_carry_security_headers(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>ParkCloud</title>")
    app = create_app(dataclasses.replace(settings, web_dist=dist), db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        page = await http.get("/")
        api = await http.post("/graphql", json={"query": "{ me { name } }"})
        ide = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == DASHBOARD_CSP
    assert "frame-ancestors 'none'" in DASHBOARD_CSP
    assert "script-src 'self';" in DASHBOARD_CSP
    for response in (page, api, ide):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
    # JSON is no page: no CSP needed; the development GraphiQL page is at least never framed
    assert "content-security-policy" not in api.headers
    assert ide.headers["content-type"].startswith("text/html")
    assert ide.headers["content-security-policy"] == "frame-ancestors 'none'"
