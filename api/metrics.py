"""Prometheus metrics of an API process: ``GET /metrics`` in the text exposition format.

Two kinds. Counted as things happen, in this process (prometheus-client's default registry, with its process and
GC collectors): lane decisions by outcome and reason and their latency, payment orders created by channel and
purpose, channel callbacks by channel and result. Read at scrape time, each bounded by ``READ_TIMEOUT_S`` and
all at once: devices by kind and status (one grouped query), the outbox backlog (one query), the Dramatiq queue
depths (one pipelined round trip to Redis), the live GraphQL subscriptions and the events and jobs this process
sent. A read that fails or times out leaves its metrics out and says so in ``parkcloud_metrics_read_ok``.

Labels are bounded sets named in code (enums, configured channels, queue names): never a plate, a driver, a
lot or anything else that grows with the data.

Access: from loopback without credentials (a Prometheus or an agent on the host), from anywhere with
``Authorization: Bearer <PARKCLOUD_METRICS_TOKEN>``. A request that came through a proxy (``Forwarded``,
``X-Forwarded-For`` or ``X-Real-IP`` set) is not loopback whatever its socket says: a reverse proxy on the same
host would otherwise open the metrics to the internet. Anything else gets 401 and not one metric.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import time
from collections.abc import Awaitable, Iterable, Iterator
from typing import Any, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.auth import bearer_token
from api.live_feeds import LiveFeeds
from parking.common.database import Database
from parking.common.db import utcnow
from parking.common.outbox import Backlog, backlog
from parking.common.partitions import months_ahead
from parking.common.scope import Scope
from parking.devices.models import DeviceKind, DeviceStatus
from parking.devices.status import device_counts
from parking.lanes.flow import Outcome
from parking.payments.models import PaymentOrder
from schema.live.watch import ACTIVE

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Each scrape-time read waits at most this long: a scrape must answer even with Redis or the database hung.
READ_TIMEOUT_S = 2.0
# Dramatiq's queues (workers/*.py QUEUE): named here, so the API never imports the actors to learn them.
QUEUES = (
    "devices",
    "payments",
    "notifications",
    "recognition",
    "merchants",
    "retention",
    "images",
    "reports",
    "invoices",
    "maintenance",
)
DRAMATIQ_NAMESPACE = "dramatiq"
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")

LANE_DECISIONS = Counter(
    "parkcloud_lane_decisions",
    "Camera readings decided, by outcome (open, closed, duplicate: a repeated push answered as before) and reason.",
    ["outcome", "reason"],
)
LANE_DECISION_SECONDS = Histogram(
    "parkcloud_lane_decision_seconds",
    "Time to decide and record a camera reading (the lane flow's transaction), in seconds.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
PAYMENT_ORDERS = Counter(
    "parkcloud_payment_orders_created", "Payment orders committed, by channel and purpose.", ["channel", "purpose"]
)
PAYMENT_CALLBACKS = Counter(
    "parkcloud_payment_callbacks",
    "Payment channels' notifications to the notify URL, by channel and result (accepted, refused).",
    ["channel", "result"],
)


def lane_decided(outcome: Outcome, seconds: float) -> None:
    kind = "duplicate" if outcome.duplicate else "open" if outcome.decision.opens else "closed"
    LANE_DECISIONS.labels(kind, outcome.decision.reason.value).inc()
    LANE_DECISION_SECONDS.observe(seconds)


async def timed_decision(decide: Awaitable[Outcome]) -> Outcome:
    """Await the lane flow's decision, counted and timed."""
    started = time.perf_counter()
    outcome = await decide
    lane_decided(outcome, time.perf_counter() - started)
    return outcome


def payment_callback(channel: str, accepted: bool) -> None:
    """``channel`` is a configured channel's name (an unknown one is answered 404 before it gets here)."""
    PAYMENT_CALLBACKS.labels(channel, "accepted" if accepted else "refused").inc()


# Orders are made in several places (stays, arrears, passes, coupon packs), all through the ORM: counting what
# each commit inserted catches them all, and nothing that was rolled back.
_NEW_ORDERS = "parkcloud_metrics_new_orders"


@event.listens_for(Session, "after_flush")
def _note_orders(session: Session, _context: Any) -> None:
    for obj in session.new:
        if isinstance(obj, PaymentOrder):
            session.info.setdefault(_NEW_ORDERS, []).append((obj.channel.value, obj.purpose.value))


@event.listens_for(Session, "after_commit")
def _count_orders(session: Session) -> None:
    for channel, purpose in session.info.pop(_NEW_ORDERS, ()):
        PAYMENT_ORDERS.labels(channel, purpose).inc()


@event.listens_for(Session, "after_rollback")
def _forget_orders(session: Session) -> None:
    session.info.pop(_NEW_ORDERS, None)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed(request: Request, token: str) -> bool:
    if token:
        given = bearer_token(request) or ""
        if hmac.compare_digest(given.encode(), token.encode()):
            return True
    host = request.client.host if request.client else ""
    return is_loopback(host) and not any(name in request.headers for name in PROXY_HEADERS)


async def _bounded(read: Awaitable[T], what: str) -> T | None:
    try:
        async with asyncio.timeout(READ_TIMEOUT_S):
            return await read
    except Exception as err:
        # The kind only: a Redis error's text names its address.
        logger.warning("metrics: could not read %s (%s)", what, type(err).__name__)
        return None


async def _devices(db: Database) -> dict[tuple[DeviceKind, DeviceStatus], int]:
    async with db.session(Scope.internal()) as session:
        return await device_counts(session)


async def _months_ahead(db: Database) -> dict[str, int]:
    async with db.engine.connect() as conn:
        return await months_ahead(conn, utcnow())


async def queue_depths(redis_url: str) -> dict[tuple[str, str], int]:
    """(queue, state) to messages waiting: ``ready`` and ``delayed`` (lists), ``dead`` (a sorted set)."""
    client = Redis.from_url(
        redis_url, socket_connect_timeout=READ_TIMEOUT_S, socket_timeout=READ_TIMEOUT_S, retry=Retry(NoBackoff(), 0)
    )
    try:
        pipe = client.pipeline(transaction=False)
        keys: list[tuple[str, str]] = []
        for queue in QUEUES:
            base = f"{DRAMATIQ_NAMESPACE}:{queue}"
            pipe.llen(base)
            pipe.llen(f"{base}.DQ")
            pipe.zcard(f"{base}.XQ")
            keys += [(queue, "ready"), (queue, "delayed"), (queue, "dead")]
        counts = await pipe.execute()
    finally:
        await client.aclose()
    return {key: int(count) for key, count in zip(keys, counts, strict=True)}


class Snapshot(Collector):
    """The metrics read for one scrape, as prometheus-client families."""

    def __init__(
        self,
        db: Database,
        devices: dict[tuple[DeviceKind, DeviceStatus], int] | None,
        found: Backlog | None,
        queues: dict[tuple[str, str], int] | None,
        redis: bool,
        feed_members: int = 0,
        partitions: dict[str, int] | None = None,
    ) -> None:
        self.db = db
        self.partitions = partitions
        self.feed_members = feed_members
        self.devices = devices
        self.found = found
        self.queues = queues
        self.redis = redis

    def collect(self) -> Iterator[Metric]:
        ok = GaugeMetricFamily(
            "parkcloud_metrics_read_ok", "Whether this scrape could read the source (1) or not (0).", labels=["source"]
        )
        ok.add_metric(["devices"], self.devices is not None)
        yield from self._devices()
        yield from self._partitions(ok)
        # Alike console subscribers share one feed (api/live_feeds.py): it listens once for all its members.
        subscriptions = GaugeMetricFamily(
            "parkcloud_graphql_subscriptions",
            "Live event listeners in this process, by topic: one per subscription, or one per shared feed.",
            labels=["topic"],
        )
        for topic, count in sorted(ACTIVE.items()):
            subscriptions.add_metric([topic], count)
        yield subscriptions
        yield GaugeMetricFamily(
            "parkcloud_graphql_shared_feed_members",
            "Subscribers receiving a shared feed's results in this process (each feed listens once for them).",
            value=self.feed_members,
        )
        relay = self.db.outbox
        published = self.db.published + (relay.published if relay is not None else 0)
        yield CounterMetricFamily(
            "parkcloud_events_published", "Events this process published to subscribers.", value=published
        )
        if self.redis:
            ok.add_metric(["outbox"], self.found is not None)
            ok.add_metric(["queues"], self.queues is not None)
            yield CounterMetricFamily(
                "parkcloud_jobs_sent",
                "Jobs this process's outbox relay handed to Dramatiq.",
                value=relay.jobs_sent if relay is not None else 0,
            )
            yield from self._outbox()
            yield from self._queues()
        yield ok

    def _devices(self) -> Iterable[Metric]:
        if self.devices is None:
            return
        family = GaugeMetricFamily("parkcloud_devices", "Devices by kind and status.", labels=["kind", "status"])
        # Every pair, zeros included: a kind whose last offline device came back reads 0, not gone.
        for kind in DeviceKind:
            for status in DeviceStatus:
                family.add_metric([kind.value, status.value], self.devices.get((kind, status), 0))
        yield family

    def _partitions(self, ok: GaugeMetricFamily) -> Iterable[Metric]:
        if not self.db.is_sqlite:
            ok.add_metric(["partitions"], self.partitions is not None)
        if not self.partitions:
            return
        family = GaugeMetricFamily(
            "parkcloud_partition_months_ahead",
            "Months after this one whose partition exists, by table (the worker's job keeps 3; at 0 next month's "
            "inserts would fail).",
            labels=["table"],
        )
        for table, months in sorted(self.partitions.items()):
            family.add_metric([table], months)
        yield family

    def _outbox(self) -> Iterable[Metric]:
        if self.found is None:
            return
        yield GaugeMetricFamily(
            "parkcloud_outbox_pending", "Outbox rows (events and jobs) waiting to be sent.", value=self.found.pending
        )
        yield GaugeMetricFamily(
            "parkcloud_outbox_oldest_age_seconds",
            "How long the oldest waiting outbox row has waited (0 when none).",
            value=self.found.oldest_age_s,
        )

    def _queues(self) -> Iterable[Metric]:
        if self.queues is None:
            return
        family = GaugeMetricFamily(
            "parkcloud_dramatiq_queue_messages",
            "Messages in Dramatiq's Redis queues, by queue and state (ready, delayed, dead).",
            labels=["queue", "state"],
        )
        for (queue, state), count in self.queues.items():
            family.add_metric([queue, state], count)
        yield family


class MetricsEndpoint:
    def __init__(self, db: Database, redis_url: str, token: str, feeds: LiveFeeds | None = None) -> None:
        self.db = db
        self.feeds = feeds
        self.redis_url = redis_url
        self.token = token

    def routes(self) -> list[Route]:
        return [Route("/metrics", self.scrape, methods=["GET"])]

    async def scrape(self, request: Request) -> Response:
        if not allowed(request, self.token):
            return Response(
                "unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer", "Cache-Control": "no-store"}
            )
        snapshot = await self._read()
        registry = CollectorRegistry(auto_describe=False)
        registry.register(snapshot)
        body = generate_latest(REGISTRY) + generate_latest(registry)
        return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

    async def _read(self) -> Snapshot:
        reads: list[Awaitable[Any]] = [
            _bounded(_devices(self.db), "devices"),
            _bounded(_months_ahead(self.db), "partitions"),
        ]
        if self.redis_url:
            reads += [_bounded(backlog(self.db.engine), "outbox"), _bounded(queue_depths(self.redis_url), "queues")]
        devices, partitions, *rest = await asyncio.gather(*reads)
        found, queues = (rest[0], rest[1]) if rest else (None, None)
        members = self.feeds.member_count() if self.feeds is not None else 0
        return Snapshot(self.db, devices, found, queues, bool(self.redis_url), members, partitions)
