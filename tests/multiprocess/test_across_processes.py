"""Two API processes and a worker behind haproxy, on one PostgreSQL and Redis: whichever process a camera, a
console or a payment callback reaches, every reading is recorded once and every event reaches every console."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, update

from config.payment_channels import load_channels
from hardware.cameras import vzenith
from parking.common.database import Database
from parking.common.events import lane_events_topic
from parking.common.pubsub import RedisBus
from parking.common.scope import Scope
from parking.devices.models import Device, GateCommand, GateCommandStatus
from parking.payments.models import OrderStatus, PaymentChannel, PaymentOrder
from parking.payments.service import StayRef, start_payment
from parking.sessions.models import ParkingSession
from tests.conftest import REDIS_URL
from tests.lanes.firmware import vzenith_heartbeat
from tests.lanes.site import build_site, seat_tokens
from tests.live import WAIT_S, bearer, graphql_ws
from tests.multiprocess.cluster import Cluster
from tests.multiprocess.conftest import Fakes
from tests.multiprocess.traffic import PUSH, Pushes, camera, plates, push_plates, recorded
from tests.payments.flow import OPENID

LANE_EVENTS = "subscription ($lot: ID) { laneEvents(lotId: $lot) { kind plate laneId opened } }"
REMOTE_OPEN = """
mutation($lane: ID!, $reason: String!) {
  laneRemoteOpen(laneId: $lane, reason: $reason) { __typename ... on LaneError { code message } }
}"""

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


async def test_readings_through_the_proxy_and_each_process_are_recorded_once(cluster: Cluster, db: Database) -> None:
    # given a lot whose entry cameras push through the proxy and whose exit cameras each push to one process
    site = await build_site(db, capacity=500)
    cars = plates("A", 40)
    seen = Pushes()
    entries = [camera(cluster.url, site, "in"), camera(cluster.url, site, "in2")]
    exits = [camera(cluster.apis["a"].url, site, "out"), camera(cluster.apis["b"].url, site, "out2")]
    # when 40 cars enter through two lanes at once, then leave through the exit of each process
    await asyncio.gather(push_plates(entries[0], cars[::2], seen), push_plates(entries[1], cars[1::2], seen))
    await asyncio.gather(push_plates(exits[0], cars[::2], seen), push_plates(exits[1], cars[1::2], seen))
    for cam in entries + exits:
        await cam.aclose()
    # then every push was answered, every reading is one lane event and every car one stay, ended
    assert (seen.answered, seen.failed) == (80, 0), seen.errors
    got = await recorded(db, site)
    assert got.events == dict.fromkeys(cars, 2)
    assert set(got.event_keys.values()) == {1}
    assert got.stays == dict.fromkeys(cars, 1)
    assert got.open_stays == 0


async def test_a_console_on_one_process_receives_the_events_of_a_push_through_the_other(
    cluster: Cluster, db: Database
) -> None:
    # given a cloud seat watching the lot's lane events on process A
    site = await build_site(db)
    token = (await seat_tokens(site))["seat"]
    bus = RedisBus.from_url(REDIS_URL)
    async with graphql_ws(cluster.apis["a"], bearer(token)) as ws:
        op = await ws.subscribe(LANE_EVENTS, {"lot": str(site.lot_id)})
        await _until_subscribed(bus, lane_events_topic(site.lot_id))
        # when two cars are read by a camera that pushes to process B
        async with camera(cluster.apis["b"].url, site, "in") as cam:
            assert await cam.push("沪C00001") is not None
            assert await cam.push("沪C00002") is not None
        first, second = await ws.receive(), await ws.receive()
        await ws.complete(op)
    # then A's console gets each event once, in order (a doubled first event would come before the second)
    assert [m["id"] for m in (first, second)] == [op, op]
    assert [m["payload"]["data"]["laneEvents"]["plate"] for m in (first, second)] == ["沪C00001", "沪C00002"]
    assert all(m["payload"]["data"]["laneEvents"]["opened"] for m in (first, second))


async def test_a_remote_open_ordered_through_one_process_goes_out_on_the_camera_poll_to_the_other(
    cluster: Cluster, db: Database
) -> None:
    # given a lot, its seat, and the entry camera polling as a comet camera does, held open by process B
    site = await build_site(db)
    token = (await seat_tokens(site))["seat"]
    async with db.transaction(Scope.internal()) as s:
        comet = {"heartbeat": "comet", "comet_hold_s": 30}
        await s.execute(update(Device).where(Device.id == site.ids["device:in"]).values(config=comet))
    serial = next(s for s in site.secrets if s.endswith("-in"))
    body, content_type = vzenith_heartbeat(serial)
    headers = {"X-Device-Key": site.secrets[serial], "Content-Type": content_type}
    async with (
        httpx.AsyncClient(base_url=cluster.apis["a"].url, timeout=60, trust_env=False) as a,
        httpx.AsyncClient(base_url=cluster.apis["b"].url, timeout=60, trust_env=False) as b,
    ):
        poll = asyncio.create_task(b.post(PUSH, content=body, headers=headers))
        await asyncio.sleep(0.5)  # usually held by then; a poll that comes later takes the open at once
        # when the seat opens the entry through process A
        ordered = await a.post(
            "/graphql",
            json={"query": REMOTE_OPEN, "variables": {"lane": str(site.ids["in"]), "reason": "访客"}},
            headers=bearer(token),
        )
        answer = await poll
    # then B's answer to the camera carries the open, and the command was taken by that poll only
    assert ordered.json()["data"]["laneRemoteOpen"]["__typename"] == "GateCommandSuccess", ordered.text
    assert answer.status_code == 200, answer.text
    assert vzenith.decode_reply(answer.content).open
    async with db.session(Scope.internal()) as s:
        statuses = list(await s.scalars(select(GateCommand.status).where(GateCommand.lane_id == site.ids["in"])))
    assert statuses == [GateCommandStatus.DONE]


async def test_a_paid_callback_counts_once_whichever_process_gets_it_and_its_replay_is_refused_by_both(
    cluster: Cluster, db: Database, fakes: Fakes
) -> None:
    # given a car inside for 70 minutes and an order for what it owes
    site = await build_site(db)
    entered = await site.read("in", "沪D00001", datetime.now(UTC) - timedelta(minutes=70))
    assert entered.session_id is not None
    channels = load_channels(fakes.credentials, cluster.url, REDIS_URL)
    started = await start_payment(
        db,
        channels,
        Scope.internal(),
        StayRef(session_id=entered.session_id),
        PaymentChannel.WECHAT_JSAPI,
        datetime.now(UTC),
        payer_id=OPENID,
    )
    out_trade_no = started.order.out_trade_no
    async with httpx.AsyncClient(base_url=fakes.wechatpay_url, timeout=30, trust_env=False) as wechat:
        before = len((await wechat.get("/_control/deliveries")).json())
        # when WeChat notifies twice (each signed anew, as its retries are) through the proxy's round robin
        paid = await wechat.post(f"/_control/transactions/{out_trade_no}/pay", json={"copies": 2})
        assert paid.status_code == 200, paid.text
        deliveries = (await wechat.get("/_control/deliveries")).json()[before:]
    # then both are acknowledged
    assert [d["status"] for d in deliveries] == [204, 204]
    # when the first notification is replayed byte for byte to each process
    first = deliveries[0]
    replay_headers = {k: v for k, v in first["headers"].items() if k.lower() not in ("host", "content-length")}
    replays = []
    for proc in cluster.apis.values():
        async with httpx.AsyncClient(base_url=proc.url, timeout=30, trust_env=False) as direct:
            replays.append(
                await direct.post(
                    "/payments/notify/wechatpay",
                    content=first["body"].encode(),
                    headers={**replay_headers, "Content-Type": "application/json"},
                )
            )
    # then both refuse it (the nonce is shared through Redis), and the stay is paid once
    assert [r.status_code for r in replays] == [400, 400], [r.text for r in replays]
    async with db.session(Scope.internal()) as s:
        orders = list(await s.scalars(select(PaymentOrder).where(PaymentOrder.session_id == entered.session_id)))
        stay = await s.get(ParkingSession, entered.session_id)
    assert [(o.status, o.double_payment) for o in orders] == [(OrderStatus.PAID, None)]
    assert stay is not None
    assert stay.paid_fen == orders[0].amount_fen > 0


async def _until_subscribed(bus: RedisBus, topic: str) -> None:
    """Until a process listens on ``topic`` in Redis (an event published before would reach nobody)."""
    async with asyncio.timeout(WAIT_S):
        while await bus.subscriber_count(topic) < 1:  # noqa: ASYNC110 (Redis has no notification for it)
            await asyncio.sleep(0.05)
