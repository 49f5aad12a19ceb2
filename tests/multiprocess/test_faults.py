"""Faults during traffic: an API process killed -9 mid-push, the database's connections cut, Redis gone.

Cameras keep pushing through the proxy and send again what failed, as firmware does. Afterwards nothing is lost
and nothing doubled (one lane event per reading, one stay per car), every failed push failed in a way a camera
retries (no answer or a 5xx), and the time to recover is printed (measured, never asserted: see bench/).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg
import pytest
from dramatiq.brokers.redis import DEFAULT_HEARTBEAT_TIMEOUT, MAINTENANCE_SCALE, RedisBroker
from sqlalchemy import func, select, update

from bench._cluster import START_S
from parking.common.database import Database
from parking.common.events import lane_events_topic
from parking.common.outbox import OutboxEvent
from parking.common.scope import Scope
from parking.drivers.models import DriverPlate
from parking.payments.messages.models import DriverMessage, MessageStatus
from parking.tenancy.models import Lot
from tests.conftest import REDIS_URL
from tests.lanes.site import Site, build_site
from tests.live import WAIT_S
from tests.multiprocess.cluster import Cluster
from tests.multiprocess.conftest import SCRATCH, Fakes, admin_dsn
from tests.multiprocess.traffic import Pushes, camera, drain, plates, push_plates, recorded
from workers.notifications import QUEUE as NOTIFICATIONS

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]


async def _traffic_with_fault(
    cluster: Cluster, site: Site, cars: list[str], after: int, fault: Callable[[], Awaitable[None]]
) -> tuple[Pushes, float]:
    """Push ``cars`` into the lot through both entry lanes; once ``after`` pushes were answered, run ``fault``;
    then the cameras send again whatever failed.

    Returns what the cameras saw and when ``fault`` returned (time.monotonic()): the platform is to recover
    from there.
    """
    seen = Pushes()
    cams = [camera(cluster.url, site, "in"), camera(cluster.url, site, "in2")]
    struck = 0.0

    async def strike() -> None:
        nonlocal struck
        while seen.answered < after:  # noqa: ASYNC110 (the pushes have no event to wait on)
            await asyncio.sleep(0.01)
        await fault()
        struck = time.monotonic()

    # Each camera pauses a little between cars, as traffic does, so the fault lands in the middle of it.
    await asyncio.gather(
        push_plates(cams[0], cars[::2], seen, pause_s=0.02),
        push_plates(cams[1], cars[1::2], seen, pause_s=0.02),
        strike(),
    )
    await drain(cams, seen)
    for cam in cams:
        await cam.aclose()
    return seen, struck


async def _check_once_each(db: Database, site: Site, cars: list[str], seen: Pushes) -> None:
    got = await recorded(db, site)
    assert got.events == dict.fromkeys(cars, 1), "a reading lost or recorded twice"
    assert set(got.event_keys.values()) == {1}
    assert got.stays == dict.fromkeys(cars, 1), "a car without a stay, or with two"
    assert seen.retryable(), seen.errors
    assert seen.closed == 0, "a push answered with a shut barrier for a car that may enter"


async def test_kill_9_of_an_api_process_in_the_middle_of_100_pushes_loses_and_doubles_nothing(
    cluster: Cluster, db: Database
) -> None:
    # given a lot whose two entry cameras push 100 cars through the proxy
    site = await build_site(db, capacity=500)
    cars = plates("K", 100)
    victim = cluster.apis["a"]

    async def kill() -> None:
        await asyncio.to_thread(victim.kill9)

    # when process A is killed -9 after 30 answered pushes, and the cameras send again what failed
    seen, struck = await _traffic_with_fault(cluster, site, cars, 30, kill)
    recovered = seen.recovered_after(struck)
    await asyncio.to_thread(cluster.restart, victim)
    await asyncio.to_thread(cluster.wait_proxy)
    # then every car has exactly one stay and every reading one lane event
    print(
        f"\nkill -9 of an API process: {seen.failed} pushes failed {dict(seen.errors)}; recovered in {recovered:.2f} s"
    )
    await _check_once_each(db, site, cars, seen)


async def test_the_database_connections_cut_during_traffic_lose_and_double_nothing(
    cluster: Cluster, db: Database
) -> None:
    # given a lot whose two entry cameras push 40 cars through the proxy
    site = await build_site(db, capacity=500)
    cars = plates("P", 40)

    async def terminate() -> None:
        # Only this deployment's own scratch database: other people's databases on this server are left alone.
        admin = await asyncpg.connect(admin_dsn(), timeout=3)
        try:
            await admin.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                SCRATCH,
            )
        finally:
            await admin.close()

    # when every connection of the processes to PostgreSQL is terminated after 10 answered pushes
    seen, struck = await _traffic_with_fault(cluster, site, cars, 10, terminate)
    # then nothing is lost or doubled, and the cameras were only ever asked to send again
    print(
        f"\nPostgreSQL connections cut: {seen.failed} pushes failed {dict(seen.errors)}; "
        f"recovered in {seen.recovered_after(struck):.2f} s"
    )
    await _check_once_each(db, site, cars, seen)


async def test_redis_gone_during_traffic_loses_and_doubles_nothing(cluster: Cluster, db: Database) -> None:
    # given a lot whose two entry cameras push 40 cars through the proxy
    site = await build_site(db, capacity=500)
    cars = plates("R", 40)

    async def redis_down_for_a_while() -> None:
        # The processes' Redis (behind the fault proxy) refuses and drops every connection, as a restart does.
        cluster.redis.set("down")
        await asyncio.sleep(2.0)
        cluster.redis.set("up")

    # when Redis goes away for two seconds after 10 answered pushes, and comes back
    seen, struck = await _traffic_with_fault(cluster, site, cars, 10, redis_down_for_a_while)
    # then nothing is lost or doubled, and the cameras were only ever asked to send again
    # Readiness no longer fails on Redis (the lanes need only the database), so the balancer keeps both processes and
    # the cameras may well be answered throughout: then no answer comes after Redis is back, and nothing to recover.
    after = [t for t in seen.answered_at if t > struck]
    recovery = f"first answer {min(after) - struck:.2f} s after it came back" if after else "all answered before it"
    print(f"\nRedis down 2 s: {seen.failed} pushes failed {dict(seen.errors)}; {recovery}")
    await _check_once_each(db, site, cars, seen)
    # and the lane events raised while Redis was away waited in the outbox and went out once it was back
    topic = lane_events_topic(site.lot_id)
    async with asyncio.timeout(WAIT_S):
        while await _unpublished(db, topic):  # noqa: ASYNC110 (the relay has no notification to wait on)
            await asyncio.sleep(0.1)
    async with db.session(Scope.internal()) as s:
        outboxed = await s.scalar(select(func.count()).select_from(OutboxEvent).where(OutboxEvent.topic == topic))
    assert outboxed == len(cars)


async def _unpublished(db: Database, topic: str) -> int:
    async with db.session(Scope.internal()) as s:
        query = select(func.count()).where(OutboxEvent.topic == topic, OutboxEvent.published_at.is_(None))
        return int(await s.scalar(query) or 0)


async def test_kill_9_of_the_worker_mid_job_and_a_restart_complete_the_job_exactly_once(
    cluster: Cluster, db: Database, fakes: Fakes
) -> None:
    # given a lot that sends entry notifications, and a driver who bound the plate in the mini-program
    site = await build_site(db)
    plate, openid = "沪W00001", "oWorkerKill0000000000000001"
    async with db.transaction(Scope.internal()) as s:
        await s.execute(update(Lot).where(Lot.id == site.lot_id).values(payment_settings={"entry_template_id": "TPL"}))
        s.add(DriverPlate(openid=openid, plate=plate, slot=1))
    worker = cluster.worker
    assert worker is not None
    # when the car enters and the worker's send to WeChat hangs (the job is running)
    fakes.wechat_gate.hold_next_send()
    async with camera(cluster.url, site, "in") as cam:
        assert await cam.push(plate) is not None
    assert await asyncio.to_thread(fakes.wechat_gate.held.wait, START_S), worker.tail()
    # and the worker is killed -9 there, then started again
    await asyncio.to_thread(worker.kill9)
    killed = time.monotonic()
    fakes.wechat_gate.release()
    await asyncio.to_thread(cluster.restart, worker)
    # Dramatiq gives a dead worker's unacknowledged jobs back once its heartbeat is older than the broker's
    # timeout, in the maintenance that runs on a random 0.1 % of broker commands: the test waits out the timeout
    # and runs that maintenance itself, rather than waiting for the dice.
    # It runs the maintenance on every poll, not once: on a loaded machine the restarted worker can take most of
    # a minute to consume, and a single early pass found nothing to give back yet in one full run.
    await asyncio.sleep(max(0.0, killed + DEFAULT_HEARTBEAT_TIMEOUT / 1000 + 1 - time.monotonic()))
    try:
        async with asyncio.timeout(START_S):
            while (status := await _message_status(db, site)) != [MessageStatus.SENT]:
                await asyncio.to_thread(_maintain, NOTIFICATIONS)
                await asyncio.sleep(1.0)
    except TimeoutError:
        pytest.fail(f"the job did not complete {START_S} s after the maintenance: {status}\n{worker.tail()}")
    recovered = time.monotonic() - killed
    # then the notification went to WeChat once, and is recorded sent once
    sent = [m for m in fakes.wechat_api.messages if m["touser"] == openid]
    print(f"\nkill -9 of the worker mid-job: the job completed {recovered:.1f} s after the kill")
    assert len(sent) == 1
    assert status == [MessageStatus.SENT]


def _maintain(queue: str) -> None:
    broker = RedisBroker(url=REDIS_URL, maintenance_chance=MAINTENANCE_SCALE)  # type: ignore[no-untyped-call]
    try:
        broker.do_qsize(queue)
    finally:
        broker.close()


async def _message_status(db: Database, site: Site) -> list[MessageStatus]:
    async with db.session(Scope.internal()) as s:
        return list(await s.scalars(select(DriverMessage.status).where(DriverMessage.lot_id == site.lot_id)))
