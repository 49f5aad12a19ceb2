"""The ``parkcloud`` command: serve, worker, finance, purge, storage, images, migrate, demo, backup, restore,
schema print."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger("parkcloud")


def migrate(database_url: str | None = None, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config(str(Path(__file__).resolve().parent.parent / "alembic.ini"))
    if database_url:
        config.attributes["database_url"] = database_url
    command.upgrade(config, revision)


def _serving_settings() -> Any:
    """The settings to serve with, checked: outside development an unsafe one stops the start (exit 2)."""
    from config.settings import InsecureSettings, Settings, check, protect_var_dir

    settings = Settings.from_env()
    try:
        check(settings)
    except InsecureSettings as err:
        logger.error("%s", err)
        raise SystemExit(2) from err
    protect_var_dir(settings.var_dir)
    return settings


def _limits(settings: Any) -> dict[str, Any]:
    """uvicorn's own limits: a websocket message is capped like a /graphql body (api/limits.py caps those)."""
    return {"ws_max_size": settings.max_body_bytes, "timeout_keep_alive": 5}


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    from api.app import create_app
    from api.heap import settle_heap

    settings = _serving_settings()
    if not args.simulate:
        app = create_app(settings)
        settle_heap()
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", proxy_headers=True, **_limits(settings))
        return
    from api.local_fakes import local_fakes
    from api.simulate import run_traffic

    # The simulated platform pays through the local fakes unless real channel credentials are configured.
    if not os.environ.get("PARKCLOUD_PUBLIC_URL"):
        # The fakes notify the address this process listens on.
        settings = dataclasses.replace(settings, public_url=f"http://{args.host}:{args.port}")
    with local_fakes(settings) as settings:
        app = create_app(settings)
        settle_heap()
        _serve_simulated(app, args, run_traffic)


def _serve_simulated(app: Any, args: argparse.Namespace, run_traffic: Any) -> None:
    import uvicorn

    from api.simulate import KeepAlive

    limits = _limits(app.state.settings)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="info", proxy_headers=True, **limits)
    server = uvicorn.Server(config)

    async def go() -> None:
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn offers no "started" event
            await asyncio.sleep(0.1)
        stop = asyncio.Event()
        traffic = asyncio.create_task(
            run_traffic(
                app.state.db,
                f"http://{args.host}:{args.port}",
                app.state.settings.secret_key,
                stop=stop,
                keep_alive=KeepAlive(),
            )
        )
        await serving
        stop.set()
        await traffic

    asyncio.run(go())


def _edge(args: argparse.Namespace) -> None:
    import uvicorn

    from edge.agent import EdgeAgent
    from edge.cache import EdgeCache

    key = args.key or os.environ.get("PARKCLOUD_EDGE_KEY", "")
    if not key:
        raise SystemExit("parkcloud edge: give the edge agent's secret with --key or PARKCLOUD_EDGE_KEY")
    agent = EdgeAgent(args.cloud, args.serial, key, EdgeCache(args.cache))
    server = uvicorn.Server(uvicorn.Config(agent.app(), host=args.host, port=args.port, log_level="info"))

    async def go() -> None:
        stop = asyncio.Event()
        if not await agent.sync(full=True):
            logging.getLogger(__name__).warning("cloud unreachable at start: deciding from the cache")
        loop = asyncio.create_task(agent.run(stop))
        try:
            await server.serve()
        finally:
            stop.set()
            await loop
            await agent.aclose()

    asyncio.run(go())


def _simulate(args: argparse.Namespace) -> None:
    from api.simulate import KeepAlive, run_traffic
    from config.settings import Settings
    from parking.common.database import Database

    settings = Settings.from_env()

    async def go() -> None:
        db = Database.from_url(settings.database_url)
        stop = asyncio.Event()
        if args.seconds:
            asyncio.get_running_loop().call_later(args.seconds, stop.set)
        try:
            pushed = await run_traffic(
                db,
                args.url,
                settings.secret_key,
                events_per_s=args.rate,
                seed=args.seed,
                stop=stop,
                keep_alive=KeepAlive(),
            )
        finally:
            await db.dispose()
        print(f"pushed {pushed} readings")

    asyncio.run(go())


def _start_device_poll() -> None:
    """The periodic device health poll, in a thread of the worker's supervisor process (0 s turns it off)."""
    import threading

    from api.devices import dramatiq_dispatch, poll_loop
    from config.settings import Settings
    from parking.common.database import Database
    from workers.events import job_events

    settings = Settings.from_env()
    if settings.device_poll_s <= 0:
        return

    async def run() -> None:
        db = Database.from_url(settings.database_url)
        try:
            # What the poll changes reaches the consoles of every API process (outbox, Redis), as the jobs' does.
            async with (
                job_events(db, settings.redis_url, background=True),
                poll_loop(db, settings.device_poll_s, dramatiq_dispatch(db) if settings.redis_url else None),
            ):
                await asyncio.Event().wait()  # until the process ends
        finally:
            await db.dispose()

    threading.Thread(target=lambda: asyncio.run(run()), name="device-poll", daemon=True).start()


def _worker(args: argparse.Namespace) -> None:
    if args.metrics_port:
        # Before anything imports workers.broker (which reads it, workers/broker.py WORKER_METRICS_ENV), so that the
        # supervisor's broker carries dramatiq's Prometheus middleware and forks its exposition server; the worker
        # processes inherit the environment.
        os.environ["PARKCLOUD_WORKER_METRICS"] = "1"
        os.environ["dramatiq_prom_host"] = args.metrics_host  # noqa: SIM112 (dramatiq reads these lower-case names)
        os.environ["dramatiq_prom_port"] = str(args.metrics_port)  # noqa: SIM112

    from dramatiq.cli import main as dramatiq_main

    from config.settings import Settings
    from workers.broker import prepare_for_fork
    from workers.images import schedule_spool_upload
    from workers.merchants import schedule_expiry
    from workers.partitions import schedule_partitions
    from workers.reports import schedule_rollups
    from workers.retention import schedule_purge

    prepare_for_fork()  # before the threads below: dramatiq forks the worker processes after them
    _start_device_poll()
    # Periodic jobs are sent from the supervisor process; each one is idempotent, so two workers sending is fine.
    settings = Settings.from_env()
    schedule_expiry(settings.coupon_expiry_s)
    schedule_purge(settings.purge_interval_s)
    schedule_spool_upload(settings.spool_upload_interval_s)
    schedule_rollups(settings.rollup_interval_s)
    schedule_partitions(settings.partition_interval_s)
    sys.argv = [
        "dramatiq",
        "workers.broker",
        "workers.devices",
        "workers.payments",
        "workers.frictionless",
        "workers.notifications",
        "workers.merchants",
        "workers.retention",
        "workers.images",
        "workers.reports",
        "workers.invoices",
        "workers.partitions",
        "--processes",
        str(args.processes),
        "--threads",
        str(args.threads),
    ]
    raise SystemExit(dramatiq_main())  # type: ignore[no-untyped-call]


def _iso_day(text: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def _finance(args: argparse.Namespace) -> None:
    """Settle a day (each lot's yesterday by default) and reconcile the channels' bills of a Beijing day.

    With Redis the jobs go to the workers; without, they run here, one after the other. Expected failures (a
    day not over, a bill not out yet, a bill that does not match its signed hash, a channel not configured)
    are reported on one line of stderr and exit with status 1; the other jobs still run, and a failed
    reconciliation is stored as a failed run.
    """
    from config.settings import Settings
    from parking.common.db import utcnow
    from parking.common.errors import DomainError
    from parking.payments.reconciliation import BILL_TIMEZONE
    from parking.payments.statement import previous_day
    from workers.payments import produce_settlement_statements, reconcile_channel_bill

    bill_day = args.day or previous_day(utcnow(), BILL_TIMEZONE).isoformat()
    channels = [c for c in args.channels.split(",") if c]
    if Settings.from_env().redis_url:
        produce_settlement_statements.send(args.day)
        for channel in channels:
            reconcile_channel_bill.send(channel, bill_day)
        print(f"enqueued: statements ({args.day or 'T+1'}), bills of {bill_day} for {', '.join(channels)}")
        return
    failures: list[str] = []
    try:
        produce_settlement_statements.fn(args.day)
    except DomainError as err:
        failures.append(f"statements: {err.message}")
    for channel in channels:
        try:
            reconcile_channel_bill.fn(channel, bill_day)
        except DomainError as err:
            failures.append(err.message if err.message.startswith(channel) else f"{channel}: {err.message}")
    if failures:
        print(f"parkcloud finance: failed: {'; '.join(failures)}", file=sys.stderr)
        raise SystemExit(1)
    print(f"settled ({args.day or 'T+1'}) and reconciled {bill_day} for {', '.join(channels)}")


def _purge(args: argparse.Namespace) -> None:
    """Purge (or, with --dry-run, count) what each lot keeps no longer, here and now; a line per lot."""
    import parking.models  # noqa: F401  (every table mapped)
    from config.settings import Settings
    from workers.retention import run_purge

    settings = Settings.from_env()
    if args.batch is not None:
        settings = dataclasses.replace(settings, purge_batch=args.batch)
    lots = asyncio.run(run_purge(settings, dry_run=args.dry_run))
    for lot in lots:
        print(("would purge " if args.dry_run else "purged ") + lot.line())


def _upload_spool(args: argparse.Namespace) -> None:
    """Upload the pictures this machine spooled while the image store was down; one line of counts."""
    from config.settings import Settings
    from workers.images import run_spool_upload

    done = asyncio.run(run_spool_upload(Settings.from_env()))
    print(done.line())
    if done.left or done.damaged:
        raise SystemExit(1)  # a cron job or timer sees that the store is still down


def _storage(args: argparse.Namespace) -> None:
    """Each lot's storage usage: its records and its pictures' bytes."""
    from sqlalchemy import select

    import parking.models  # noqa: F401  (every table mapped)
    from config.images import image_store
    from config.settings import Settings
    from parking.common.database import Database
    from parking.common.errors import DomainError
    from parking.common.scope import Scope
    from parking.retention.usage import storage_usage
    from parking.tenancy.models import Lot

    settings = Settings.from_env()

    async def go() -> None:
        db = Database.from_url(settings.database_url)
        try:
            async with db.transaction(Scope.internal()) as session:
                lots = (await session.execute(select(Lot.id, Lot.name).order_by(Lot.id))).all()
                usage = await storage_usage(session, image_store(settings), [lot_id for lot_id, _ in lots])
        finally:
            await db.dispose()
        for (lot_id, name), u in zip(lots, usage, strict=True):
            print(
                f"lot {lot_id} {name}: sessions={u.sessions} lane_events={u.lane_events} "
                f"recognitions={u.recognitions} images={u.images} image_bytes={u.image_bytes}"
            )

    try:
        asyncio.run(go())
    except DomainError as err:  # the image store did not answer: one line, exit 1
        print(f"parkcloud storage: {err.message}", file=sys.stderr)
        raise SystemExit(1) from err


def _demo(args: argparse.Namespace) -> None:
    import parking.models  # noqa: F401  (every table mapped before the loader's first flush resolves foreign keys)
    from config.settings import Settings
    from parking.common.database import Database
    from parking.demo import load_demo

    settings = Settings.from_env()

    async def go() -> None:
        db = Database.from_url(settings.database_url)
        try:
            loaded = await load_demo(db, only_if_empty=args.if_empty, seed=args.seed)
        finally:
            await db.dispose()
        print("demo data loaded" if loaded else "database not empty: demo data not loaded")

    asyncio.run(go())


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    size, unit = float(n) / 1024, "KiB"
    for bigger in ("MiB", "GiB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}"


def _backup(args: argparse.Namespace) -> None:
    """Back the database (and the image store) up to a file; expected failures: one line, exit 1, no file."""
    from api.backup import BackupError, backup, default_output, target_of
    from config.images import is_local
    from config.settings import Settings

    settings = Settings.from_env()
    try:
        target = target_of(settings.database_url)
        output = Path(args.output).resolve() if args.output else default_output(target, settings.var_dir)
        written = backup(target, output, settings.var_dir, local_images=is_local(settings))
    except OSError as err:
        print(f"parkcloud backup: {err}", file=sys.stderr)
        raise SystemExit(1) from err
    except BackupError as err:
        print(f"parkcloud backup: {err}", file=sys.stderr)
        raise SystemExit(1) from err
    for path in written:
        print(f"{path} ({_size(path.stat().st_size)})")
    if not is_local(settings):
        print(
            f"images: not in this backup: they live in {settings.image_store}; keep them with the bucket's own "
            "versioning and replication (docs/operations.md)"
        )


def _restore(args: argparse.Namespace) -> None:
    """Restore a backup over the database: refuses a database with rows without --yes, and a newer backup."""
    from api.backup import (
        BackupError,
        backup_revision,
        check_kind,
        head_revision,
        known_revision,
        restore,
        restore_images,
        target_of,
        target_state,
        upload_images,
    )
    from config.images import image_store, is_local
    from config.settings import Settings
    from parking.images import ImageStoreUnavailable

    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = Settings.from_env()
    path = Path(args.path).resolve()
    try:
        target = target_of(settings.database_url)
        check_kind(target, path)
        head = head_revision()
        revision = backup_revision(target, path)
        if revision is not None and not all(known_revision(r) for r in revision.split(",")):
            raise BackupError(
                f"{path} is at revision {revision}, which this code does not know (its head is {head}): "
                "a newer ParkCloud made it; restore it with that version"
            )
        full, _ = target_state(target)
        if full and not args.yes:
            shown = ", ".join(full[:5]) + (", ..." if len(full) > 5 else "")
            raise BackupError(
                f"the database {target.name} is not empty ({len(full)} tables hold rows: {shown}); "
                "nothing changed. Add --yes to replace its contents with the backup"
            )
        restore(target, path)
        _, now = target_state(target)
        if now != revision:
            raise BackupError(f"restored, but the database is at revision {now}, the backup at {revision}")
        images = restore_images(path, settings.var_dir) if is_local(settings) else None
        uploaded = None if is_local(settings) else asyncio.run(upload_images(path, image_store(settings)))
    except ImageStoreUnavailable as err:
        print(f"parkcloud restore: the database is restored, but not the images: {err}", file=sys.stderr)
        raise SystemExit(1) from err
    except BackupError as err:
        print(f"parkcloud restore: {err}", file=sys.stderr)
        raise SystemExit(1) from err
    print(f"restored {path} into {target.name}")
    if images is not None:
        print(f"images restored from {images} into {settings.var_dir / 'images'}")
    if uploaded is not None:
        tar, count, skipped = uploaded
        print(
            f"images uploaded from {tar} to {settings.image_store}: {count} "
            f"({skipped} skipped: not a picture ref, or not the bytes its name says)"
        )
    if revision is None:
        print("revision: none recorded in the backup (a database never migrated by `parkcloud migrate`)")
    elif revision == head:
        print(f"revision: {revision} (head)")
    else:
        print(f"revision: {revision}, older than this code's head {head}: run `parkcloud migrate` to upgrade it")


def _schema_print(args: argparse.Namespace) -> None:
    from schema.root import print_sdl

    sdl = print_sdl()
    if args.output:
        Path(args.output).write_text(sdl)
    else:
        sys.stdout.write(sdl)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parkcloud", description="ParkCloud: cloud platform for unattended lots")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the API (GraphQL, device and payment endpoints, web client)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--simulate", action="store_true", help="also drive the demo lots with simulated traffic")
    serve.set_defaults(func=_serve)

    edge = sub.add_parser("edge", help="run the lot edge agent next to the cameras")
    edge.add_argument("--cloud", default="http://127.0.0.1:8000", help="the platform's base URL")
    edge.add_argument("--serial", required=True, help="the edge agent's device serial")
    edge.add_argument("--key", default="", help="its secret (or PARKCLOUD_EDGE_KEY)")
    edge.add_argument("--host", default="0.0.0.0")
    edge.add_argument("--port", type=int, default=8100)
    edge.add_argument("--cache", default="var/edge.sqlite3")
    edge.set_defaults(func=_edge)

    simulate = sub.add_parser("simulate", help="push simulated camera readings to a running platform")
    simulate.add_argument("--url", default="http://127.0.0.1:8000")
    simulate.add_argument("--rate", type=float, default=1.0, help="readings per second, on average")
    simulate.add_argument("--seconds", type=float, default=0, help="stop after this long (0: run until killed)")
    simulate.add_argument("--seed", type=int, default=None)
    simulate.set_defaults(func=_simulate)

    worker = sub.add_parser("worker", help="run Dramatiq workers")
    worker.add_argument("--processes", type=int, default=1)
    worker.add_argument("--threads", type=int, default=4)
    worker.add_argument(
        "--metrics-port", type=int, default=0, help="serve Dramatiq's Prometheus metrics on this port (0: off)"
    )
    worker.add_argument("--metrics-host", default="127.0.0.1", help="address of the metrics port (loopback)")
    worker.set_defaults(func=_worker)

    finance = sub.add_parser("finance", help="daily settlement statements and bill reconciliation (run after midnight)")
    finance.add_argument(
        "--day", type=_iso_day, default=None, help="YYYY-MM-DD; default: each lot's yesterday, and Beijing's"
    )
    finance.add_argument("--channels", default="wechatpay,alipay", help="bills to reconcile (comma-separated)")
    finance.set_defaults(func=_finance)

    purge = sub.add_parser("purge", help="remove pictures and records past each lot's retention (GA/T 1742-2020)")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be removed")
    purge.add_argument("--batch", type=int, default=None, help="rows per transaction (PARKCLOUD_PURGE_BATCH)")
    purge.set_defaults(func=_purge)

    images = sub.add_parser("images", help="image store tools")
    images_sub = images.add_subparsers(dest="images_command", required=True)
    upload = images_sub.add_parser(
        "upload-spool", help="upload the pictures this machine kept while the image store was down (var_dir)"
    )
    upload.set_defaults(func=_upload_spool)

    storage = sub.add_parser("storage", help="each lot's storage usage: records and picture bytes")
    storage.set_defaults(func=_storage)

    mig = sub.add_parser("migrate", help="upgrade the database to the latest schema")
    mig.add_argument("--revision", default="head")
    mig.set_defaults(func=lambda a: migrate(revision=a.revision))

    demo = sub.add_parser("demo", help="load the demo data set")
    demo.add_argument("--if-empty", action="store_true", help="only when the database has no agents")
    demo.add_argument("--seed", type=int, default=2026)
    demo.set_defaults(func=_demo)

    backup = sub.add_parser("backup", help="back the database (pg_dump / SQLite backup) and the image store up")
    backup.add_argument("--output", "-o", help="the backup file (default: var/backups/parkcloud-<UTC time>.dump)")
    backup.set_defaults(func=_backup)

    restore = sub.add_parser("restore", help="restore a backup made by `parkcloud backup` over the database")
    restore.add_argument("path", help="the backup file")
    restore.add_argument("--yes", action="store_true", help="replace a database that is not empty")
    restore.set_defaults(func=_restore)

    schema = sub.add_parser("schema", help="GraphQL schema tools")
    schema_sub = schema.add_subparsers(dest="schema_command", required=True)
    printer = schema_sub.add_parser("print", help="print the SDL")
    printer.add_argument("--output", "-o", help="write to this file instead of stdout")
    printer.set_defaults(func=_schema_print)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = build_parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
