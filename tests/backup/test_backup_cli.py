"""`parkcloud backup` and `parkcloud restore` run as real commands against real PostgreSQL and SQLite: the report
totals and every row come back after a restore; a database with rows is not overwritten without --yes; a backup
newer than this code is refused; a failing pg_dump leaves no file and exits non-zero."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, text

from api.backup import head_revision, images_tar
from parking.common.database import Database
from parking.common.scope import Scope
from parking.images import ref_for
from parking.models import Base
from parking.payments.models import PaymentOrder
from tests.conftest import GraphQL, need_service
from tests.factories import World, build_world
from tests.overview.seed import seed_overview
from tests.s3 import KEY_ID, REGION, SECRET, S3Bucket

ROOT = Path(__file__).resolve().parents[2]
# The overview's totals and the reports' (read from the rollup): both must come back the same after a restore.
FIGURES = (
    "figures { entries exits stayMinutes payments paidFen refunds refundedFen netFen discountFen couponFen waivedFen }"
)
REPORTS = f"""{{
  revenueByDay(from: "2026-11-19", to: "2026-11-22") {{ day channel paidFen refundedFen orders }}
  traffic(from: "2026-11-19", to: "2026-11-22") {{ day entries exits }}
  flowReport(from: "2026-11-19", to: "2026-11-22", by: DAY) {{ day {FIGURES} }}
  dailyReport(from: "2026-11-19", to: "2026-11-22") {{ day lotId {FIGURES} }}
}}"""


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def _env(url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARKCLOUD_", "PG"))}
    env |= {"PYTHONPATH": str(ROOT), "PARKCLOUD_DATABASE_URL": url, "PARKCLOUD_VAR_DIR": str(var_dir), **extra}
    return env


async def parkcloud(url: str, var_dir: Path, *args: str, **env: str) -> Ran:
    """The installed entry point's code path (`python -m api.cli`), in its own process, as cron runs it."""
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=_env(url, var_dir, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


@pytest.fixture
async def stamped(db: Database, backend: str) -> Any:
    """The test database with an ``alembic_version`` table, as `parkcloud migrate` leaves one; dropped after."""
    if backend == "postgres" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        need_service("pg_dump", "apt-get install postgresql-client")

    async def stamp(revision: str) -> None:
        async with db.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            await conn.execute(text("DELETE FROM alembic_version"))
            await conn.execute(text("INSERT INTO alembic_version VALUES (:r)"), {"r": revision})

    yield stamp
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def _reports(gql: GraphQL, world: World) -> dict[str, Any]:
    body = await gql(REPORTS, token=world.tokens["platform"])
    assert body.get("errors") is None, body
    return dict(body["data"])


async def _rows(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    async with db.transaction(Scope.internal()) as s:
        return {
            t.name: [tuple(r) for r in await s.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


def _mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def _one_line(ran: Ran, command: str) -> str:
    assert ran.code == 1, ran
    assert "Traceback" not in ran.err
    [line] = [x for x in ran.err.splitlines() if x.startswith(f"parkcloud {command}:")]
    return line


async def test_restore_brings_back_the_report_totals_every_row_and_the_images(
    db: Database, gql: GraphQL, tmp_path: Path, stamped: Any
) -> None:
    # given a platform with stays and payments, at this code's head revision, and an image in the store
    world = await build_world(db)
    await seed_overview(db, world)
    await stamped(head_revision())
    var_dir = tmp_path / "var"
    image = var_dir / "images" / "2026" / "11" / "20" / "plate.jpg"
    image.parent.mkdir(parents=True)
    image.write_bytes(b"\xff\xd8 a plate")
    reports, rows = await _reports(gql, world), await _rows(db)
    assert reports["revenueByDay"]
    assert reports["traffic"]
    assert any(row["figures"]["paidFen"] for row in reports["flowReport"])
    assert any(row["figures"]["entries"] for row in reports["dailyReport"])
    assert rows["payment_orders"]
    assert rows["parking_sessions"]

    # when it is backed up to the default place
    ran = await parkcloud(_url(db), var_dir, "backup")
    assert ran.code == 0, ran
    dump_line, tar_line = ran.out.strip().splitlines()
    dump = Path(dump_line.split(" (")[0])
    assert dump.parent == var_dir / "backups"
    assert dump.name.startswith("parkcloud-")
    assert dump.name.endswith(".sqlite3" if db.is_sqlite else ".dump")
    assert Path(tar_line.split(" (")[0]) == dump.with_name(dump.name + ".images.tar")
    assert _mode(dump) == "0o600"  # a backup holds password hashes and personal data
    assert [p.name for p in (var_dir / "backups").iterdir() if p.name.startswith(".")] == []

    # and then the payments are lost and the image deleted
    async with db.transaction(Scope.internal()) as s:
        await s.execute(delete(PaymentOrder))
    image.unlink()
    changed = await _rows(db)
    assert changed["payment_orders"] == []

    # then a restore without --yes refuses, changing nothing
    ran = await parkcloud(_url(db), var_dir, "restore", str(dump))
    assert "is not empty" in _one_line(ran, "restore")
    assert "--yes" in _one_line(ran, "restore")
    assert await _rows(db) == changed
    assert not image.exists()

    # and with --yes the database is back at the backup's revision, with the same totals, rows and images
    ran = await parkcloud(_url(db), var_dir, "restore", str(dump), "--yes")
    assert ran.code == 0, ran
    assert f"revision: {head_revision()} (head)" in ran.out
    assert await _reports(gql, world) == reports
    assert await _rows(db) == rows
    assert image.read_bytes() == b"\xff\xd8 a plate"


async def test_a_restore_into_an_empty_database_needs_no_yes(
    db: Database, gql: GraphQL, tmp_path: Path, stamped: Any
) -> None:
    # given a backup of a platform, then a database emptied of every row
    world = await build_world(db)
    await seed_overview(db, world)
    await stamped(head_revision())
    reports, rows = await _reports(gql, world), await _rows(db)
    output = tmp_path / "elsewhere" / "nightly.bak"
    ran = await parkcloud(_url(db), tmp_path / "var", "backup", "--output", str(output))
    assert ran.code == 0, ran
    assert ran.out.strip().splitlines() == [f"{output} ({ran.out.split('(')[1].split(')')[0]})"]
    async with db.transaction(Scope.internal()) as s:
        for table in reversed(Base.metadata.sorted_tables):
            await s.execute(delete(table))
    # when it is restored without --yes, then everything is back
    ran = await parkcloud(_url(db), tmp_path / "var", "restore", str(output))
    assert ran.code == 0, ran
    assert await _rows(db) == rows
    assert await _reports(gql, world) == reports


async def test_with_images_in_s3_a_backup_leaves_them_to_the_bucket_and_a_restore_uploads_a_local_tar(
    db: Database, tmp_path: Path, stamped: Any, s3_bucket: S3Bucket
) -> None:
    # given a database at head and a single process's images on its disk: a picture and a stray file
    await build_world(db)
    await stamped(head_revision())
    var_dir = tmp_path / "var"
    picture = b"\xff\xd8\xff a plate"
    ref = ref_for(picture, datetime(2026, 11, 20, tzinfo=UTC))
    (var_dir / "images" / ref).parent.mkdir(parents=True)
    (var_dir / "images" / ref).write_bytes(picture)
    (var_dir / "images" / "notes.txt").write_bytes(b"not a picture")
    s3 = {
        "PARKCLOUD_IMAGE_STORE": f"s3://{s3_bucket.name}/images",
        "PARKCLOUD_S3_ENDPOINT_URL": s3_bucket.endpoint_url,
        "PARKCLOUD_S3_REGION": REGION,
        "PARKCLOUD_S3_ACCESS_KEY_ID": KEY_ID,
        "PARKCLOUD_S3_SECRET_ACCESS_KEY": SECRET,
    }
    local_backup, s3_backup = tmp_path / "local.bak", tmp_path / "s3.bak"
    ran = await parkcloud(_url(db), var_dir, "backup", "--output", str(local_backup))
    assert ran.code == 0, ran

    # when the processes move to S3, a backup holds the database only, and says where the images are
    ran = await parkcloud(_url(db), var_dir, "backup", "--output", str(s3_backup), **s3)
    assert ran.code == 0, ran
    [dump_line, note] = ran.out.strip().splitlines()
    assert dump_line.startswith(f"{s3_backup} (")
    assert note == (
        f"images: not in this backup: they live in s3://{s3_bucket.name}/images; keep them with the bucket's own "
        "versioning and replication (docs/operations.md)"
    )
    assert not images_tar(s3_backup).exists()

    # and the backup from the local disk, restored with S3 configured, puts its pictures in the bucket
    fresh = tmp_path / "fresh-var"
    ran = await parkcloud(_url(db), fresh, "restore", str(local_backup), "--yes", **s3)
    assert ran.code == 0, ran
    assert (
        f"images uploaded from {images_tar(local_backup)} to s3://{s3_bucket.name}/images: 1 "
        "(1 skipped: not a picture ref, or not the bytes its name says)"
    ) in ran.out
    assert await s3_bucket.keys() == [f"images/{ref}"]
    assert await s3_bucket.store().get(ref) == picture
    assert not (fresh / "images").exists()


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_restore_of_a_damaged_backup_fails_and_changes_nothing(
    db: Database, tmp_path: Path, stamped: Any
) -> None:
    # given a backup of a platform damaged in its last data (a bad copy; its table of contents and revision still
    # read, so the restore starts), whose stays and lane events live in month partitions
    world = await build_world(db)
    await seed_overview(db, world)
    await stamped(head_revision())
    output = tmp_path / "damaged.bak"
    ran = await parkcloud(_url(db), tmp_path / "var", "backup", "--output", str(output))
    assert ran.code == 0, ran
    whole = bytearray(output.read_bytes())
    start = len(whole) - 1500
    whole[start : start + 4096] = bytes(len(whole[start : start + 4096]))
    output.write_bytes(bytes(whole))
    # and a database that has moved on since
    async with db.transaction(Scope.internal()) as s:
        await s.execute(text("DELETE FROM operators WHERE username = 'viewer'"))
    before = await _rows(db)
    # when it is restored, then the restore fails and the database is as it was, partitions and all
    ran = await parkcloud(_url(db), tmp_path / "var", "restore", str(output), "--yes")
    assert ran.code != 0, ran
    assert "pg_restore failed" in ran.err, ran  # it got as far as restoring, past the revision check
    assert "nothing changed" in ran.err, ran
    assert await _rows(db) == before
    async with db.engine.connect() as conn:
        kinds = await conn.scalars(
            text("SELECT relkind::text FROM pg_class WHERE relname IN ('parking_sessions', 'lane_events')")
        )
        assert list(kinds) == ["p", "p"]


async def test_a_backup_newer_than_this_code_is_refused_and_nothing_changes(
    db: Database, tmp_path: Path, stamped: Any
) -> None:
    # given a backup made by a newer ParkCloud (a revision this code does not know)
    await build_world(db)
    await stamped("9999z")
    ran = await parkcloud(_url(db), tmp_path / "var", "backup", "--output", str(tmp_path / "newer.bak"))
    assert ran.code == 0, ran
    # and a database that has moved on since
    await stamped(head_revision())
    async with db.transaction(Scope.internal()) as s:
        await s.execute(text("DELETE FROM operators WHERE username = 'viewer'"))
    before = await _rows(db)
    # when it is restored, even with --yes, then it is refused and the database is as it was
    ran = await parkcloud(_url(db), tmp_path / "var", "restore", str(tmp_path / "newer.bak"), "--yes")
    line = _one_line(ran, "restore")
    assert "9999z" in line
    assert f"its head is {head_revision()}" in line
    assert await _rows(db) == before


@pytest.mark.postgres
async def test_a_failing_pg_dump_leaves_no_file_and_exits_non_zero(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    # a database that does not exist: pg_dump's own message, exit 1, no file (partial or not)
    ran = await parkcloud("postgresql://postgres@127.0.0.1:5432/parkcloud_t_backup_missing", var_dir, "backup")
    line = _one_line(ran, "backup")
    assert "pg_dump failed" in line
    assert "parkcloud_t_backup_missing" in line
    assert list((var_dir / "backups").iterdir()) == []
    # pg_dump not installed: said so
    ran = await parkcloud("postgresql://postgres@127.0.0.1:5432/x", var_dir, "backup", PATH=str(tmp_path / "none"))
    assert "pg_dump not found" in _one_line(ran, "backup")
    assert list((var_dir / "backups").iterdir()) == []


async def test_pg_dump_gets_the_password_in_its_environment_never_in_its_arguments(tmp_path: Path) -> None:
    # given a pg_dump that records what it was given, writes half a file and fails
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {tmp_path}/argv\n'
        f'echo "$PGHOST $PGPORT $PGUSER $PGPASSWORD $PGDATABASE" > {tmp_path}/env\n'
        'while [ "$1" != "--file" ]; do shift; done; echo half > "$2"\n'
        "echo 'pg_dump: error: server closed the connection' >&2; exit 3\n"
    )
    fake.chmod(0o755)
    url = "postgresql+asyncpg://parkcloud:s3cret-pw@db.internal:6543/parkcloud"
    path = f"{bin_dir}:{os.environ['PATH']}"
    out = tmp_path / "out"
    ran = await parkcloud(url, tmp_path / "var", "backup", "--output", str(out / "b.dump"), PATH=path)
    line = _one_line(ran, "backup")
    assert "pg_dump failed (exit 3): pg_dump: error: server closed the connection" in line
    assert "s3cret-pw" not in (tmp_path / "argv").read_text()
    assert "--format=custom" in (tmp_path / "argv").read_text()
    assert (tmp_path / "env").read_text().split() == ["db.internal", "6543", "parkcloud", "s3cret-pw", "parkcloud"]
    # and the half-written file is gone: nothing is left where the backup was to be
    assert list(out.iterdir()) == []
