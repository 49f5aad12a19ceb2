"""The live simulation drives real camera pushes through the API: readings become events and stays."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select, update

from api.app import create_app
from api.simulate import TrafficStats, derived_secret, provision, run_traffic
from config.settings import Settings
from parking.common.database import Database
from parking.common.scope import Scope
from parking.devices.auth import hash_secret
from parking.devices.models import Device
from parking.sessions.models import LaneEvent
from tests.lanes.site import build_site

pytestmark = pytest.mark.anyio


async def test_simulated_traffic_flows_through_the_push_endpoint(db: Database, settings: Settings) -> None:
    site = await build_site(db)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).values(config={"simulated": True}))
    lots = await provision(db, settings.secret_key)
    assert [lot.lot_id for lot in lots] == [site.lot_id]
    assert sorted(lots[0].entry_serials) == sorted(k for k in site.secrets if k.endswith(("-in", "-in2")))
    async with db.session(Scope.internal()) as s:
        device = await s.scalar(select(Device).where(Device.serial == lots[0].entry_serials[0]))
        assert device is not None
        assert device.secret_hash == hash_secret(derived_secret(settings.secret_key, device.serial))

    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    pushed = await run_traffic(
        db, "http://test", settings.secret_key, events_per_s=1000, seed=7, max_events=12, transport=transport
    )
    assert pushed == 12
    async with db.session(Scope.internal()) as s:
        events = await s.scalar(select(func.count()).select_from(LaneEvent).where(LaneEvent.device_id.is_not(None)))
    assert events == 12
    counter, open_stays = await site.occupied()
    assert counter == open_stays > 0


async def test_paced_traffic_sends_on_the_clock_without_waiting_for_replies(db: Database, settings: Settings) -> None:
    site = await build_site(db)
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Device).values(config={"simulated": True}))
    app = create_app(settings, db)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    stats = TrafficStats()
    pushed = await run_traffic(
        db,
        "http://test",
        settings.secret_key,
        events_per_s=50,
        seed=3,
        max_events=20,
        transport=transport,
        paced=True,
        stats=stats,
    )
    assert pushed == 20
    assert len(stats.sent_at) == len(stats.reply_s) == 20
    # Reading n leaves at n/50 s or later (never early): the schedule follows the clock, not the replies.
    for n, sent in enumerate(sorted(stats.sent_at)):
        assert sent >= n / 50 - 0.001
    async with db.session(Scope.internal()) as s:
        events = await s.scalar(select(func.count()).select_from(LaneEvent).where(LaneEvent.device_id.is_not(None)))
    assert events == 20
    counter, open_stays = await site.occupied()
    assert counter == open_stays > 0
