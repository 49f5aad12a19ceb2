"""Coupon expiry: ISSUED coupons past their end become EXPIRED in keyset batches, once, leaving the others alone."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from parking.common.database import Database
from parking.common.scope import Scope
from parking.merchants.expiry import expire_batch, expire_coupons
from parking.merchants.models import Coupon, CouponStatus
from tests.factories import World, build_world
from tests.merchants import stats_seed as seed
from workers import merchants as merchant_actors
from workers.broker import broker

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
PAST, FUTURE = NOW - timedelta(minutes=1), NOW + timedelta(minutes=1)


async def _coupons(db: Database, world: World, ends: list[tuple[CouponStatus, datetime]]) -> list[int]:
    async with db.transaction(Scope.internal()) as s:
        t = await seed.template(s, world.ids["lot:A1a"])
        shop = await seed.merchant(s, world.ids["lot:A1a"], "Shop")
        created = NOW - timedelta(days=2)
        return [(await seed.coupon(s, shop, t, created=created, status=st, valid_until=end)).id for st, end in ends]


async def _statuses(db: Database) -> dict[int, CouponStatus]:
    async with db.session(Scope.internal()) as s:
        rows = (await s.execute(select(Coupon.id, Coupon.status).order_by(Coupon.id))).all()
    return {coupon_id: status for coupon_id, status in rows}  # noqa: C416 (rows of two, not pairs to mypy)


@pytest.fixture
async def world(db: Database) -> World:
    return await build_world(db)


async def test_past_end_issued_coupons_expire_in_batches_once(db: Database, world: World) -> None:
    ends = [(CouponStatus.ISSUED, PAST)] * 5 + [
        (CouponStatus.ISSUED, NOW),  # ends now: no longer usable
        (CouponStatus.ISSUED, FUTURE),
        (CouponStatus.REDEEMED, PAST),
        (CouponStatus.VOID, PAST),
    ]
    ids = await _coupons(db, world, ends)

    assert await expire_coupons(db, NOW, batch=2) == 6

    expected = dict.fromkeys(ids[:6], CouponStatus.EXPIRED)
    expected.update({ids[6]: CouponStatus.ISSUED, ids[7]: CouponStatus.REDEEMED, ids[8]: CouponStatus.VOID})
    assert await _statuses(db) == expected
    assert await expire_coupons(db, NOW, batch=2) == 0  # a second run changes nothing
    assert await _statuses(db) == expected


class _RedeemedMeanwhile:
    """A session where a settling stay redeems a coupon between the expiry's select and its update."""

    def __init__(self, session: AsyncSession, coupon_id: int) -> None:
        self.session, self.coupon_id = session, coupon_id

    async def scalars(self, *args: Any, **kwargs: Any) -> Any:
        found = await self.session.scalars(*args, **kwargs)
        await self.session.execute(
            update(Coupon).where(Coupon.id == self.coupon_id).values(status=CouponStatus.REDEEMED, redeemed_at=NOW)
        )
        return found

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        return await self.session.execute(*args, **kwargs)


async def test_a_coupon_redeemed_meanwhile_is_not_expired(db: Database, world: World) -> None:
    ids = await _coupons(db, world, [(CouponStatus.ISSUED, PAST)] * 3)
    async with db.transaction(Scope.internal()) as s:
        changed, last = await expire_batch(cast(AsyncSession, _RedeemedMeanwhile(s, ids[1])), NOW, 0)
    assert (changed, last) == (2, ids[2])
    assert await _statuses(db) == {
        ids[0]: CouponStatus.EXPIRED,
        ids[1]: CouponStatus.REDEEMED,
        ids[2]: CouponStatus.EXPIRED,
    }


async def test_expiry_waits_for_a_redeeming_stay_and_leaves_its_coupon_on_postgres(db: Database, world: World) -> None:
    if db.is_sqlite:
        pytest.skip("row locks and concurrent transactions: PostgreSQL only")
    ids = await _coupons(db, world, [(CouponStatus.ISSUED, PAST)] * 3)
    async with db.transaction(Scope.internal()) as redeeming:
        await redeeming.execute(
            update(Coupon).where(Coupon.id == ids[1]).values(status=CouponStatus.REDEEMED, redeemed_at=NOW)
        )
        expiry = asyncio.create_task(expire_coupons(db, NOW))
        # Commit only once the expiry's update waits for this transaction's row lock.
        waiting = (
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        async with db.session(Scope.internal()) as probe:
            for _ in range(3000):
                if await probe.scalar(text(waiting)) or expiry.done():
                    break
                await asyncio.sleep(0.01)
    assert await expiry == 2
    assert (await _statuses(db))[ids[1]] is CouponStatus.REDEEMED


def _drain(stub: StubBroker) -> None:
    worker = dramatiq.Worker(stub, queues={merchant_actors.QUEUE}, worker_timeout=100, worker_threads=1)
    worker.start()
    try:
        stub.join(merchant_actors.QUEUE, fail_fast=True)
        worker.join()
    finally:
        worker.stop()


async def test_the_periodic_actor_expires_through_dramatiq(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = await _coupons(db, world, [(CouponStatus.ISSUED, datetime(2026, 1, 1, tzinfo=UTC))] * 2)
    monkeypatch.setenv("PARKCLOUD_DATABASE_URL", db.engine.url.render_as_string(hide_password=False))
    # The schedule sends the job at once (then every interval); sent twice, it expires each coupon once.
    sent = threading.Event()
    stop = threading.Event()
    original = merchant_actors.expire_coupons.send

    def send(*args: Any, **kwargs: Any) -> Any:
        message = original(*args, **kwargs)
        sent.set()
        return message

    monkeypatch.setattr(merchant_actors.expire_coupons, "send", send)
    thread = merchant_actors.schedule_expiry(3600, stop)
    assert thread is not None
    assert merchant_actors.schedule_expiry(0) is None
    assert await asyncio.to_thread(sent.wait, 30)
    stop.set()
    await asyncio.to_thread(thread.join, 30)
    merchant_actors.expire_coupons.send()
    assert isinstance(broker, StubBroker)
    await asyncio.to_thread(_drain, broker)
    assert await _statuses(db) == dict.fromkeys(ids, CouponStatus.EXPIRED)
