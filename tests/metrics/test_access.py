"""/metrics is served to loopback and to the bearer of PARKCLOUD_METRICS_TOKEN; anyone else gets 401 and no
metric, and a request relayed by a proxy is not loopback whatever its socket says."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from parking.common.database import Database

TOKEN = "metrics-token-for-tests"
OUTSIDE = ("203.0.113.9", 50000)
LOOPBACK = ("127.0.0.1", 50000)


async def _get(db: Database, settings: Settings, client: tuple[str, int], headers: dict[str, str]) -> httpx.Response:
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.get("/metrics", headers=headers)


def _refused(answer: httpx.Response) -> None:
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    # Nothing served: not one metric name, help line or value.
    assert answer.text == "unauthorized"


@pytest.mark.parametrize(
    ("client", "headers", "token"),
    [
        (OUTSIDE, {}, ""),
        (OUTSIDE, {}, TOKEN),
        (OUTSIDE, {"Authorization": "Bearer wrong"}, TOKEN),
        (OUTSIDE, {"Authorization": f"Bearer {TOKEN}"}, ""),  # no token configured: only loopback
        (LOOPBACK, {"X-Forwarded-For": "198.51.100.7"}, ""),
        (LOOPBACK, {"Forwarded": "for=198.51.100.7"}, TOKEN),
    ],
    ids=["outside", "outside-no-token", "wrong-token", "token-unset", "proxied", "proxied-forwarded"],
)
async def test_metrics_are_refused(
    db: Database, settings: Settings, client: tuple[str, int], headers: dict[str, str], token: str
) -> None:
    _refused(await _get(db, dataclasses.replace(settings, metrics_token=token), client, headers))


@pytest.mark.parametrize(
    ("client", "headers"),
    [(LOOPBACK, {}), (OUTSIDE, {"Authorization": f"Bearer {TOKEN}"})],
    ids=["loopback", "token"],
)
async def test_metrics_are_served(
    db: Database, settings: Settings, client: tuple[str, int], headers: dict[str, str]
) -> None:
    answer = await _get(db, dataclasses.replace(settings, metrics_token=TOKEN), client, headers)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-store"
    assert "# TYPE parkcloud_lane_decision_seconds histogram" in answer.text
    assert 'parkcloud_metrics_read_ok{source="devices"} 1.0' in answer.text
