"""/metrics after a camera's reading, a payment order and the channel's callbacks: each counter moved by exactly
what happened, scraped as Prometheus would (tests/metrics/scrape.py)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from api.app import create_app
from config.settings import Settings
from fakes.recorder import NotificationRecorder
from parking.common.database import Database
from parking.payments.gateway import Channels
from tests.lanes.site import build_site
from tests.metrics.scrape import Samples, moved, scrape
from tests.payments.flow import Flow


@pytest.fixture
async def loopback(db: Database, settings: Settings, channels: Channels) -> AsyncIterator[httpx.AsyncClient]:
    """Our app wired to the fake channels, called from loopback (where /metrics needs no token)."""
    app = create_app(settings, db, channels)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def _total(samples: Samples, name: str, **labels: str) -> float:
    """The sum over every sample of ``name`` whose labels include ``labels``."""
    return sum(
        value for (sample, found), value in samples.items() if sample == name and set(labels.items()) <= set(found)
    )


async def test_a_reading_an_order_and_its_callbacks_move_their_counters_by_exactly_one(
    db: Database,
    channels: Channels,
    loopback: httpx.AsyncClient,
    recorder: tuple[NotificationRecorder, str],
    wechat_control: httpx.AsyncClient,
    alipay_control: httpx.AsyncClient,
) -> None:
    flow = Flow(await build_site(db), db, channels, loopback, recorder[0], wechat_control, alipay_control)
    session_id = await flow.enter()  # the lane flow called directly: not a camera's reading
    before = await scrape(loopback)

    # a camera pushes a reading at the entry lane: the car is let in
    serial = next(s for s in flow.site.secrets if s.endswith("-in"))
    reading = {
        "version": 1,
        "type": "reading",
        "serial": serial,
        "plate": "京B54321",
        "confidence": 0.97,
        "taken_at": datetime.now(UTC).isoformat(),
        "event_id": "metrics-1",
    }
    pushed = await loopback.post(
        "/devices/generic/push",
        params={"key": flow.site.secrets[serial]},
        content=json.dumps(reading),
        headers={"content-type": "application/json"},
    )
    assert pushed.status_code == 200
    # the first car pays by WeChat: one order, one accepted callback, then a tampered copy refused
    started = await flow.start(session_id)
    [delivery] = await flow.wechat_request_payment(started.client_params)
    [accepted] = await flow.relay([delivery])
    [refused] = await flow.relay([dataclasses.replace(delivery, body=delivery.body + b" ")])
    assert (accepted.status_code, refused.status_code) == (204, 400)

    after = await scrape(loopback)
    assert _total(after, "parkcloud_lane_decisions_total") - _total(before, "parkcloud_lane_decisions_total") == 1
    opened = _total(after, "parkcloud_lane_decisions_total", outcome="open")
    assert opened - _total(before, "parkcloud_lane_decisions_total", outcome="open") == 1
    assert moved(before, after, "parkcloud_lane_decision_seconds_count") == 1
    created = {"channel": "wechat_jsapi", "purpose": "parking_prepay"}
    assert moved(before, after, "parkcloud_payment_orders_created_total", **created) == 1
    assert (
        _total(after, "parkcloud_payment_orders_created_total")
        - _total(before, "parkcloud_payment_orders_created_total")
        == 1
    )
    assert moved(before, after, "parkcloud_payment_callbacks_total", channel="wechatpay", result="accepted") == 1
    assert moved(before, after, "parkcloud_payment_callbacks_total", channel="wechatpay", result="refused") == 1
