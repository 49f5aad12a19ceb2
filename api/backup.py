"""``parkcloud backup`` and ``parkcloud restore``: the database (and the local image store) to a file and back.

PostgreSQL goes through Debian's ``pg_dump`` (custom format) and ``pg_restore`` (``--clean --if-exists
--no-owner --no-privileges``, its script run by ``psql`` in one transaction); the connection comes from
``PARKCLOUD_DATABASE_URL``, passed to them as libpq's environment variables, the password in ``PGPASSWORD``,
never on a command line. SQLite goes through the stdlib's online backup API, so a backup taken while the API
writes is consistent. A backup is
written under a temporary name and renamed at the end: a failed one leaves no file behind.

The local image store (``var_dir/images``), when it holds files, goes into ``<backup>.images.tar`` beside the
dump; a restore extracts that tar, when present, into the image store (adding and replacing files, deleting
none). An S3 image store is not copied: the bucket keeps its own versions and replicas, and a backup of every
picture would be as large as the bucket. A restore of a tar while the images live in S3 uploads the tar's pictures
to the bucket (the way from a single process's disk to S3).

A restore refuses to overwrite a database that holds rows unless asked (``--yes``), and refuses a backup whose
Alembic revision this code does not know (a newer ParkCloud made it). Afterwards it prints the revision the
database is at; an older one is upgraded by ``parkcloud migrate``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from parking.common.database import POOLER_PARAM
from parking.images import ImageNotFound, ImageStore, check_ref, ref_for

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


class BackupError(Exception):
    """An expected failure: one line on stderr, exit status 1."""


@dataclass(frozen=True)
class Target:
    """The database of ``PARKCLOUD_DATABASE_URL``: a PostgreSQL connection or a SQLite file."""

    url: URL

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path:
        if not self.url.database or self.url.database == ":memory:":
            raise BackupError("the SQLite database is in memory: nothing to back up or restore")
        return Path(self.url.database)

    @property
    def name(self) -> str:
        return str(self.sqlite_path) if self.is_sqlite else f"{self.url.database} on {self.url.host or 'localhost'}"

    def libpq_env(self) -> dict[str, str]:
        """libpq's variables for pg_dump / pg_restore: the password travels here, not in argv."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        u = self.url
        for key, value in (
            ("PGHOST", u.host),
            ("PGPORT", str(u.port) if u.port else None),
            ("PGUSER", u.username),
            ("PGPASSWORD", u.password),
            ("PGDATABASE", u.database),
        ):
            if value:
                env[key] = str(value)
        ssl = u.query.get("ssl") or u.query.get("sslmode")
        if isinstance(ssl, str) and ssl:
            env["PGSSLMODE"] = ssl
        return env

    def asyncpg_dsn(self) -> str:
        return self.url.set(drivername="postgresql").render_as_string(hide_password=False)


def target_of(database_url: str) -> Target:
    url = make_url(database_url)
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"unsupported database: {url.get_backend_name()}")
    if POOLER_PARAM in url.query:
        # pg_dump and pg_restore set session settings before their transactions: through a transaction pooler
        # those may land on another server connection than the dump's snapshot.
        raise BackupError(
            f"PARKCLOUD_DATABASE_URL goes through a pooler ({POOLER_PARAM}=...): "
            "point it at PostgreSQL itself for backup and restore"
        )
    return Target(url)


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def default_output(target: Target, var_dir: Path) -> Path:
    suffix = "sqlite3" if target.is_sqlite else "dump"
    return var_dir / "backups" / f"parkcloud-{_stamp()}.{suffix}"


def images_tar(backup: Path) -> Path:
    return backup.with_name(backup.name + ".images.tar")


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found on PATH: install PostgreSQL's client tools (Debian: postgresql-client)")
    return found


def _first_lines(text: str, n: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " / ".join(lines[:n]) or "no message"


# -- backup --------------------------------------------------------------------------------------------------


def backup(target: Target, output: Path, var_dir: Path, *, local_images: bool = True) -> list[Path]:
    """Write the backup (and the local image store's tar, if any); returns the files written. ``local_images``
    False: the images live in S3, and no tar is written."""
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = _partial(output)
    try:
        if target.is_sqlite:
            _sqlite_backup(target.sqlite_path, partial)
        else:
            _pg_dump(target, partial)
        written = [output]
        images = var_dir / "images"
        tar = images_tar(output)
        if local_images and images.is_dir() and any(p.is_file() for p in images.rglob("*")):
            with tarfile.open(_partial(tar), "w") as archive:
                archive.add(images, arcname="images")
            _partial(tar).chmod(0o600)
            _partial(tar).replace(tar)
            written.append(tar)
        else:
            tar.unlink(missing_ok=True)  # an older backup's images under the same name would be restored with it
        partial.chmod(0o600)  # a backup holds password hashes and personal data
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
        _partial(images_tar(output)).unlink(missing_ok=True)
    return written


def _sqlite_backup(source: Path, partial: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    partial.unlink(missing_ok=True)
    _sqlite_copy(source, partial, f"SQLite backup of {source}")


def _sqlite_copy(source: Path, dest: Path, what: str) -> None:
    """Copy with SQLite's online backup API: page by page, consistent even while the API writes to ``source``,
    and replacing every page of ``dest`` under its write lock."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as err:
        raise BackupError(f"{what} failed: {err}") from err
    finally:
        src.close()


def _pg_dump(target: Target, partial: Path) -> None:
    done = subprocess.run(
        [_tool("pg_dump"), "--format=custom", "--file", str(partial)],
        env=target.libpq_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed (exit {done.returncode}): {_first_lines(done.stderr)}")


# -- revisions -----------------------------------------------------------------------------------------------


def _script() -> object:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(Config(str(ALEMBIC_INI)))


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = _script()
    assert isinstance(script, ScriptDirectory)
    return ",".join(script.get_heads())


def known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = _script()
    assert isinstance(script, ScriptDirectory)
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def backup_revision(target: Target, path: Path) -> str | None:
    """The Alembic revision recorded in a backup file (None: the backup has no ``alembic_version``)."""
    if target.is_sqlite:
        return _sqlite_revision(path)
    done = subprocess.run(
        [_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {_first_lines(done.stderr)}")
    rows: list[str] = []
    copying = False
    for line in done.stdout.splitlines():
        if line.startswith("COPY ") and "alembic_version" in line:
            copying = True
        elif copying and line == "\\.":
            break
        elif copying and line:
            rows.append(line.split("\t")[0])
    return ",".join(sorted(rows)) or None


def _sqlite_revision(path: Path) -> str | None:
    if not path.is_file():
        return None
    conn = sqlite3.connect(path)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone():
            return None
        rows = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()
    return ",".join(sorted(rows)) or None


def _tables_with_rows_sql(tables: list[str]) -> str:
    """One statement naming which of ``tables`` (but ``alembic_version``) hold a row: a restore's "is it empty?"."""
    selects = []
    for table in tables:
        if table != "alembic_version":
            literal, ident = table.replace("'", "''"), table.replace('"', '""')
            selects.append(f"SELECT '{literal}' WHERE EXISTS (SELECT 1 FROM \"{ident}\")")
    return " UNION ALL ".join(selects) or "SELECT NULL WHERE FALSE"


async def _pg_state(target: Target) -> tuple[list[str], str | None]:
    """The tables of the target's public schema that hold rows, and its Alembic revision."""
    import asyncpg

    conn = await asyncpg.connect(target.asyncpg_dsn(), timeout=10)
    try:
        tables = [
            r["tablename"] for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        full = [r[0] for r in await conn.fetch(_tables_with_rows_sql(tables))]
        revision = None
        if "alembic_version" in tables:
            rows = [r[0] for r in await conn.fetch("SELECT version_num FROM alembic_version")]
            revision = ",".join(sorted(rows)) or None
    finally:
        await conn.close()
    return sorted(full), revision


def _sqlite_full_tables(path: Path) -> list[str]:
    if not path.is_file():
        return []
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return sorted(r[0] for r in conn.execute(_tables_with_rows_sql(names)))
    finally:
        conn.close()


def target_state(target: Target) -> tuple[list[str], str | None]:
    if target.is_sqlite:
        return _sqlite_full_tables(target.sqlite_path), _sqlite_revision(target.sqlite_path)
    try:
        return asyncio.run(_pg_state(target))
    except (OSError, Exception) as err:
        raise BackupError(f"cannot read the target database {target.name}: {type(err).__name__}: {err}") from err


# -- restore -------------------------------------------------------------------------------------------------


def check_kind(target: Target, path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if target.is_sqlite and not head.startswith(SQLITE_MAGIC):
        kind = "a PostgreSQL dump" if head.startswith(PG_MAGIC) else "not a SQLite database"
        raise BackupError(f"{path} is {kind}: the target database is SQLite")
    if not target.is_sqlite and not head.startswith(PG_MAGIC):
        kind = "a SQLite database" if head.startswith(SQLITE_MAGIC) else "not a pg_dump custom-format archive"
        raise BackupError(f"{path} is {kind}: the target database is PostgreSQL")


def restore(target: Target, path: Path) -> None:
    if target.is_sqlite:
        _sqlite_restore(path, target.sqlite_path)
    else:
        _pg_restore(target, path)


def _sqlite_restore(backup_file: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(backup_file, dest, f"SQLite restore into {dest}")


# pg_restore's own --clean cannot clean a partitioned table (it drops each partition's primary key before the
# parent's, which PostgreSQL refuses: "cannot drop inherited constraint"). So its script (with --clean --if-exists)
# runs through psql after the partitioned tables are dropped whole, which turns those drops into no-ops; psql runs
# it all in one transaction that commits only when pg_restore finished without an error.
_CLEAN_PARTITIONED = """BEGIN;
SET client_min_messages = warning;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.relname FROM pg_class c WHERE c.relkind = 'p' AND c.relnamespace = 'public'::regnamespace LOOP
    EXECUTE format('DROP TABLE IF EXISTS public.%I CASCADE', r.relname);
  END LOOP;
END $$;
"""
_CHUNK = 1 << 20


def _pg_restore(target: Target, path: Path) -> None:
    script = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-", str(path)]
    psql = [_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", f"--dbname={target.url.database}"]
    env = target.libpq_env()
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        writer = subprocess.Popen(psql, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env)
        reader = subprocess.Popen(script, stdout=subprocess.PIPE, stderr=restore_err, env=env)
        assert writer.stdin is not None
        assert reader.stdout is not None
        try:
            writer.stdin.write(_CLEAN_PARTITIONED.encode())
            while chunk := reader.stdout.read(_CHUNK):
                writer.stdin.write(chunk)
            read_ok = reader.wait() == 0
            # A script cut short (pg_restore failed) gets a ROLLBACK, never a COMMIT; cut inside a COPY, the line
            # is a bad row and psql stops there, which rolls back all the same.
            writer.stdin.write(b"\nCOMMIT;\n" if read_ok else b"\nROLLBACK;\n")
            writer.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: its message says which
            read_ok = False
            reader.kill()
            reader.wait()
        written = writer.wait()
        if not read_ok or written != 0:
            restore_err.seek(0)
            psql_err.seek(0)
            message = (restore_err.read() + psql_err.read()).decode(errors="replace")
            raise BackupError(
                f"pg_restore failed (exit {reader.returncode}, psql {written}), nothing changed: "
                f"{_first_lines(message)}"
            )


def restore_images(backup_file: Path, var_dir: Path) -> Path | None:
    tar = images_tar(backup_file)
    if not tar.is_file():
        return None
    try:
        with tarfile.open(tar) as archive:
            members = [m for m in archive.getmembers() if m.name == "images" or m.name.startswith("images/")]
            archive.extractall(var_dir, members=members, filter="data")
    except (OSError, tarfile.TarError) as err:
        raise BackupError(f"the database is restored, but not the images from {tar}: {err}") from err
    return tar


async def upload_images(backup_file: Path, store: ImageStore) -> tuple[Path, int, int] | None:
    """The backup's images tar into ``store`` (an S3 bucket): every file whose path is a ref and whose bytes are
    what its name says goes in under that ref. The tar, how many were uploaded and how many skipped (other
    files, or bytes that no longer match their name); None without a tar."""
    tar = images_tar(backup_file)
    if not tar.is_file():
        return None
    uploaded = skipped = 0
    try:
        with tarfile.open(tar) as archive:
            for member in archive:
                if not member.isfile():
                    continue
                ref = member.name.removeprefix("images/")
                source = archive.extractfile(member)
                try:
                    check_ref(ref)
                except ImageNotFound:
                    skipped += 1
                    continue
                assert source is not None  # a regular file always has its bytes
                data = source.read()
                day = datetime.strptime(ref[:10], "%Y/%m/%d").replace(tzinfo=UTC)
                if ref_for(data, day) != ref:  # bytes changed since: not the picture the rows name
                    skipped += 1
                    continue
                await store.put(data, day)
                uploaded += 1
    except (OSError, tarfile.TarError) as err:
        raise BackupError(f"the database is restored, but not the images from {tar}: {err}") from err
    return tar, uploaded, skipped
