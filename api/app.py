"""The Starlette application: GraphQL, health, device and payment endpoints, and the built web client."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from api.codes import CodeEndpoints
from api.devices import camera_wakeups, install_dispatcher, poll_loop
from api.driver import DriverEndpoints
from api.edge import EdgeEndpoints
from api.faults import FaultEndpoints
from api.frictionless import install_frictionless
from api.graphql import GraphQLApp
from api.headers import SecurityHeaders
from api.health import BacklogLimits, Health
from api.heartbeat import heartbeat_endpoint
from api.images import ImageEndpoints
from api.invoices import InvoiceEndpoints, install_invoices
from api.lanes import LaneEndpoints
from api.limits import BodyLimit, RequestTimeout
from api.logs import install_access_log_redaction
from api.metrics import MetricsEndpoint
from api.miniprogram import miniprogram_routes
from api.notifications import install_messages
from api.outage import DatabaseOutage
from api.payments import PaymentEndpoints
from api.reports import ReportEndpoints
from api.web_assets import WebAssets
from config.images import camera_image_store, image_store
from config.payment_channels import load_channels
from config.settings import Settings
from config.settings import check as check_settings
from parking.codes.limits import SCAN_LIMIT_SERVICE
from parking.common.database import Database
from parking.common.outbox import publishing
from parking.common.pubsub import make_bus
from parking.common.ratelimit import RateLimit, rate_limiter
from parking.devices.cache import DeviceCache
from parking.drivers.limits import PLATE_LOOKUP_LIMIT_SERVICE
from parking.drivers.login import WECHAT_LOGIN
from parking.lanes.sites import SiteCache
from parking.payments.anonymous import RATE_LIMIT_SERVICE
from parking.payments.gateway import Channels
from schema.root import build_schema

logger = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None, db: Database | None = None, payments: Channels | None = None
) -> Starlette:
    settings = settings or Settings.from_env()
    check_settings(settings)
    install_access_log_redaction()
    channels = (
        payments
        if payments is not None
        else load_channels(settings.payment_credentials, settings.public_url, settings.redis_url)
    )
    database = db or Database.from_url(settings.database_url)
    schema = build_schema(
        introspection=settings.introspection,
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
    )
    graphql = GraphQLApp(schema, database, settings, channels)
    # Anonymous payment creation is counted per client address (Redis when configured, else this process).
    database.services[RATE_LIMIT_SERVICE] = rate_limiter(
        settings.redis_url,
        RateLimit(settings.payment_create_limit, settings.payment_create_window_s),
        "parkcloud:payment-create:",
    )
    # Public code scans are counted the same way, apart from payments.
    database.services[SCAN_LIMIT_SERVICE] = rate_limiter(
        settings.redis_url,
        RateLimit(settings.payment_create_limit, settings.payment_create_window_s),
        "parkcloud:code-scan:",
    )
    # Public plate look-ups (plateStays) are counted the same way, apart from the rest.
    database.services[PLATE_LOOKUP_LIMIT_SERVICE] = rate_limiter(
        settings.redis_url,
        RateLimit(settings.payment_create_limit, settings.payment_create_window_s),
        "parkcloud:plate-lookup:",
    )
    dispatch = install_dispatcher(database, settings)
    # The handlers of a lane event run in the order they are registered: recognition, frictionless, messages.
    if settings.recognition:
        from workers.recognition.actors import enable as enable_recognition

        enable_recognition(database)
    install_frictionless(database, settings, channels)
    images = image_store(settings)  # local files, or the S3 bucket every process shares
    # The cameras' pictures: a short put, else this machine's spool (the barrier never waits on a picture); the
    # image endpoint reads through it, so a spooled picture is served here before it is uploaded.
    lane_images = camera_image_store(settings, images)
    # One per process: the camera pushes read lanes, lots and tariffs from it (see parking/lanes/sites.py).
    lanes = LaneEndpoints(database, lane_images, sites=SiteCache(), devices=DeviceCache())
    drivers = DriverEndpoints(database, settings)
    # One WeChat login client for the drivers' REST login and operatorWechatLogin/-Bind.
    database.services[WECHAT_LOGIN] = drivers
    install_messages(database, settings, drivers.wechat)
    install_invoices(database, settings)

    routes: list[BaseRoute] = [
        # /healthz: the process is alive; /readyz: the database and Redis answer, the outbox keeps up (api/health.py).
        *Health(
            database,
            settings.redis_url,
            settings.ready_timeout_s,
            BacklogLimits(settings.ready_outbox_max_pending, settings.ready_outbox_max_age_s),
        ).routes(),
        # Prometheus text format: loopback, or a bearer PARKCLOUD_METRICS_TOKEN (api/metrics.py, docs/metrics.md).
        *MetricsEndpoint(database, settings.redis_url, settings.metrics_token, graphql.live_feeds).routes(),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/devices/heartbeat", heartbeat_endpoint(database), methods=["POST"]),
        *lanes.routes(),
        *PaymentEndpoints(database, channels).routes(),
        *drivers.routes(),
        *InvoiceEndpoints(database, settings).routes(),
        *EdgeEndpoints(database).routes(),
        *ImageEndpoints(database, lane_images, settings.secret_key).routes(),
        *FaultEndpoints(database, images, settings.secret_key).routes(),
        *CodeEndpoints(database, settings.secret_key, settings.public_url).routes(),
        *ReportEndpoints(database, settings.secret_key).routes(),
        # Before the dashboard's catch-all mount: /m/ is the drivers' H5 app and the printed codes' landing.
        *miniprogram_routes(settings),
    ]
    web_dist = Path(settings.web_dist)
    if (web_dist / "index.html").exists():
        routes.append(Mount("/", WebAssets(directory=web_dist, html=True), name="web"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Events published after commit reach subscribers through this bus (Redis when configured).
        bus = make_bus(settings.redis_url)
        database.bus = bus
        app.state.bus = bus
        # With Redis the workers poll devices; the embedded single-process mode polls here.
        interval = 0.0 if settings.redis_url else settings.device_poll_s
        try:
            async with contextlib.AsyncExitStack() as stack:
                if settings.redis_url:
                    # Events and jobs go through the outbox and this process's relay: never awaited on a request.
                    from workers.jobs import DramatiqJobs

                    jobs = DramatiqJobs(settings.redis_url)
                    stack.callback(jobs.close)
                    app.state.outbox = await stack.enter_async_context(publishing(database, bus, jobs=jobs))
                await stack.enter_async_context(poll_loop(database, interval, dispatch))
                await stack.enter_async_context(camera_wakeups(database, bus))
                yield
        finally:
            if database.bus is bus:
                database.bus = None
            await bus.close()
            # The database belongs to whoever created it; dispose only what this app made.
            if db is None:
                await database.dispose()

    middleware = [
        Middleware(SecurityHeaders),
        Middleware(RequestTimeout, seconds=settings.request_timeout_s),
        Middleware(DatabaseOutage),
        Middleware(BodyLimit, max_bytes=settings.max_body_bytes, paths=("/graphql",)),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.settings = settings
    app.state.db = database
    app.state.live_feeds = graphql.live_feeds
    app.state.images = images
    app.state.payments = channels
    app.state.drivers = drivers
    return app
