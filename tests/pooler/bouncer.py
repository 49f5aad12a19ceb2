"""A private pgbouncer in transaction mode in front of the test database (Debian's; .ci/run installs it).

It listens on a free loopback port and keeps two server connections to the test database, so that more clients
than that share them transaction by transaction.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from parking.common.database import POOLER_PARAM, TRANSACTION_POOLER

PGBOUNCER = "/usr/sbin/pgbouncer"
# pgbouncer's server connections to the test database: fewer than the app's clients, so they are shared.
SERVER_CONNECTIONS = 2
# Set on every server connection pgbouncer opens (connect_query), to count them from PostgreSQL's side.
SERVER_APPLICATION = "parkcloud-pgbouncer-test"
# A bound on waiting for pgbouncer to listen: a pgbouncer that never does fails the test instead of hanging it.
START_S = 30.0


@dataclass(frozen=True)
class Bouncer:
    plain_url: str  # the test database through pgbouncer, as a URL without the pooler setting
    direct_url: str  # the test database itself

    @property
    def url(self) -> str:
        """The URL a deployment behind pgbouncer in transaction mode sets: the pooler named in its query."""
        return f"{self.plain_url}?{POOLER_PARAM}={TRANSACTION_POOLER}"

    @property
    def plain_dsn(self) -> str:
        return self.plain_url.replace("postgresql+asyncpg://", "postgresql://")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _config(postgres_url: str, port: int, folder: Path) -> str:
    target = make_url(postgres_url)
    server = f"host={target.host or '127.0.0.1'} port={target.port or 5432} dbname={target.database}"
    if target.password:
        server += f" password={target.password}"
    connect_query = f"SET application_name = ''{SERVER_APPLICATION}''"
    # Any other database (the migration tests' scratch one) on the same server, pooled the same way.
    return f"""[databases]
{target.database} = {server} connect_query='{connect_query}'
* = {server.replace(f" dbname={target.database}", "")}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
default_pool_size = {SERVER_CONNECTIONS}
min_pool_size = 0
reserve_pool_size = 0
max_client_conn = 200
max_db_connections = {SERVER_CONNECTIONS}
; reuse the server connection released last (pgbouncer's default, spelt out: a test relies on it)
server_round_robin = 0
"""


@contextmanager
def running_pgbouncer(postgres_url: str) -> Iterator[Bouncer]:
    """pgbouncer in front of ``postgres_url``'s database, stopped and its folder removed on the way out."""
    target = make_url(postgres_url)
    # pgbouncer refuses to run as root: as root it is started as nobody, who must read its folder.
    folder = Path(tempfile.mkdtemp(prefix="parkcloud-pgbouncer-"))
    port = _free_port()
    try:
        (folder / "userlist.txt").write_text(f'"{target.username}" ""\n', encoding="utf-8")
        (folder / "pgbouncer.ini").write_text(_config(postgres_url, port, folder), encoding="utf-8")
        for path in (folder, *folder.iterdir()):
            path.chmod(0o755 if path.is_dir() else 0o644)
        command = [PGBOUNCER, *(["-u", "nobody"] if os.geteuid() == 0 else []), str(folder / "pgbouncer.ini")]
        with (folder / "pgbouncer.log").open("wb") as log:
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + START_S
            while not _listening(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    log_text = (folder / "pgbouncer.log").read_text(encoding="utf-8", errors="replace")
                    pytest.fail(f"pgbouncer did not start listening on {port}:\n{log_text[-2000:]}")
                time.sleep(0.05)
            plain = target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
            yield Bouncer(plain_url=plain, direct_url=postgres_url)
        finally:
            process.terminate()
            process.wait(timeout=30)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def server_connections(bouncer: Bouncer) -> int:
    """How many server connections pgbouncer holds to the test database, as PostgreSQL counts them."""
    conn = await asyncpg.connect(bouncer.direct_url.replace("postgresql+asyncpg://", "postgresql://"), timeout=10)
    try:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1"
        return int(await conn.fetchval(query, SERVER_APPLICATION))
    finally:
        await conn.close()
