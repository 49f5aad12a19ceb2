"""A deployment in miniature: 2 ``parkcloud serve`` processes and 1 ``parkcloud worker`` on one PostgreSQL and
Redis, with haproxy round-robin in front, as an operator runs it (README "Scaling out").

Shared by `bench soak` and the multi-process tests (tests/multiprocess/cluster.py puts a Redis the tests can cut
in front of it). Everything is started here and killed after; the caller owns the database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import asyncpg
import httpx
from redis.asyncio import Redis

from fakes.__main__ import credentials_document, write_credentials
from fakes.alipay import FakeAlipay
from fakes.serve import serve_in_thread
from fakes.wechat_api import FakeWeChatAPI
from fakes.wechatpay import FakeWeChatPay

ROOT = Path(__file__).resolve().parent.parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
# Generous: two cold Python processes importing the whole app on a busy two-core machine.
START_S = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Process:
    name: str
    args: list[str]
    log: Path
    port: int | None = None
    popen: subprocess.Popen[bytes] | None = None
    _log_file: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str]) -> None:
        self._log_file = self.log.open("ab")
        # A process group of its own: kill -9 reaches the worker's forked children too.
        self.popen = subprocess.Popen(
            self.args, cwd=ROOT, env=env, stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill9(self) -> None:
        """SIGKILL, as the OOM killer or a pulled plug would: no shutdown code runs."""
        assert self.popen is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def tail(self, size: int = 3000) -> str:
        return self.log.read_bytes()[-size:].decode(errors="replace") if self.log.exists() else ""


@dataclass
class Cluster:
    """The running deployment: ``url`` is haproxy's, ``apis["a"]``/``apis["b"]`` each API process directly."""

    database_url: str
    redis_url: str
    secret_key: str
    var_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    apis: dict[str, Process] = field(default_factory=dict)
    worker: Process | None = None
    proxy: Process | None = None
    # Chosen before anything starts: the processes' public URL (payment notifications) is the proxy's.
    proxy_port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def env(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith("PARKCLOUD_")}
        return {
            **base,
            "PARKCLOUD_DATABASE_URL": self.database_url,
            "PARKCLOUD_REDIS_URL": self.redis_url,
            "PARKCLOUD_SECRET_KEY": self.secret_key,
            "PARKCLOUD_VAR_DIR": str(self.var_dir),
            "PARKCLOUD_WEB_DIST": str(self.var_dir / "no-web"),
            "PARKCLOUD_DEVICE_POLL_S": "0",
            "PARKCLOUD_PUBLIC_URL": self.url,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }

    def start(self) -> None:
        for name in ("a", "b"):
            port = free_port()
            self.apis[name] = Process(
                name,
                [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                self.var_dir / f"api-{name}.log",
                port=port,
            )
        self.worker = Process(
            "worker",
            [sys.executable, "-m", "api.cli", "worker", "--processes", "1", "--threads", "2"],
            self.var_dir / "worker.log",
        )
        for proc in [*self.apis.values(), self.worker]:
            proc.start(self.env())
        config = self.var_dir / "haproxy.cfg"
        config.write_text(haproxy_config(self.proxy_port, {n: p.port or 0 for n, p in self.apis.items()}))
        self.proxy = Process("haproxy", [HAPROXY, "-f", str(config), "-db"], self.var_dir / "haproxy.log")
        self.proxy.start(self.env())
        for proc in self.apis.values():
            self.wait_ready(proc)
        self.wait_proxy()

    def restart(self, proc: Process) -> None:
        proc.stop()
        proc.start(self.env())
        if proc.port is not None:
            self.wait_ready(proc)

    def wait_ready(self, proc: Process) -> None:
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            assert proc.popen is not None
            if proc.popen.poll() is not None:
                raise RuntimeError(f"{proc.name} exited {proc.popen.returncode}:\n{proc.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{proc.url}/readyz", timeout=5).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{proc.name} not ready after {START_S} s:\n{proc.tail()}")

    def wait_proxy(self) -> None:
        """Until haproxy answers through both backends (its health checks have seen each one up)."""
        deadline = time.monotonic() + START_S
        seen = 0
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    seen += 1
                    if seen >= 4:
                        return
            time.sleep(0.2)
        assert self.proxy is not None
        raise RuntimeError(f"haproxy not serving after {START_S} s:\n{self.proxy.tail()}")

    def stop(self) -> None:
        for proc in [self.proxy, self.worker, *self.apis.values()]:
            if proc is not None:
                proc.stop()

    def logs(self) -> str:
        procs = [p for p in [*self.apis.values(), self.worker, self.proxy] if p is not None]
        return "\n".join(f"--- {p.name} ---\n{p.tail()}" for p in procs)


def haproxy_config(port: int, backends: dict[str, int]) -> str:
    """Round-robin over the API processes; a backend whose /readyz fails is taken out within a second.

    A connection refused by a dead process is retried once on the other one (``redispatch``), as a load balancer
    in front of several processes is set up; a request that was sent and lost gets a 502/504, which a camera
    retries.
    """
    servers = "\n".join(
        f"  server {name} 127.0.0.1:{p} check inter 300ms fall 2 rise 1" for name, p in backends.items()
    )
    return f"""global
  maxconn 512

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  timeout tunnel 1h
  retries 1
  option redispatch

frontend api
  bind 127.0.0.1:{port}
  default_backend parkcloud

backend parkcloud
  balance roundrobin
  option httpchk GET /readyz
{servers}
"""


def admin_dsn(database_url: str) -> str:
    """asyncpg's DSN of the server's ``postgres`` database, from a SQLAlchemy URL of any database on it."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")[0] + "/postgres"


async def recreate_database(database_url: str, drop_only: bool = False) -> None:
    """Drop the URL's database (its connections too) and, unless ``drop_only``, create it empty."""
    name = database_url.rpartition("/")[2]
    admin = await asyncpg.connect(admin_dsn(database_url), timeout=3)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def fresh_redis(redis_url: str, connect_timeout_s: float = 10.0) -> None:
    """Redis answers, and holds no queue or cached WeChat token of an earlier run: its jobs name rows of a
    database that is gone, and its token was issued by fakes that are gone."""
    client = Redis.from_url(redis_url, socket_connect_timeout=connect_timeout_s)
    try:
        for pattern in ("dramatiq:*", "parkcloud:wechatpy:*"):
            async for key in client.scan_iter(match=pattern):
                await client.delete(key)
    finally:
        await client.aclose()


def migrate(database_url: str, var_dir: Path) -> None:
    """``parkcloud migrate`` on the deployment's database, as an operator runs it before the first start."""
    migrated = subprocess.run(
        [sys.executable, "-m", "api.cli", "migrate"],
        cwd=ROOT,
        env={**os.environ, "PARKCLOUD_DATABASE_URL": database_url, "PARKCLOUD_VAR_DIR": str(var_dir)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if migrated.returncode != 0:
        raise RuntimeError(f"parkcloud migrate failed:\n{migrated.stderr[-3000:]}")


@contextlib.contextmanager
def running(cluster: Cluster) -> Iterator[Cluster]:
    """``cluster`` started (every API process ready, haproxy serving through each), stopped after."""
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@dataclass(frozen=True)
class ChannelFakes:
    """The local WeChat Pay, Alipay and WeChat API fakes, serving, and their credentials file."""

    wechatpay: FakeWeChatPay
    alipay: FakeAlipay
    wechat_api: FakeWeChatAPI
    urls: dict[str, str]  # "wechatpay", "alipay", "wechat_api"
    credentials: Path


@contextlib.contextmanager
def channel_fakes(folder: Path) -> Iterator[ChannelFakes]:
    """The fakes served in threads of this process, their credentials written into ``folder`` as ``python -m
    fakes`` writes them: the API processes pay through them and they notify the processes' public URL."""
    wechatpay, alipay, wechat_api = FakeWeChatPay(), FakeAlipay(), FakeWeChatAPI()
    with ExitStack() as stack:
        urls = {
            "wechatpay": stack.enter_context(serve_in_thread(wechatpay.app)),
            "alipay": stack.enter_context(serve_in_thread(alipay.app)),
            "wechat_api": stack.enter_context(serve_in_thread(wechat_api.app)),
        }
        path = folder / "fakes-credentials.json"
        write_credentials(path, credentials_document(wechatpay, alipay, wechat_api, urls))
        yield ChannelFakes(wechatpay, alipay, wechat_api, urls, path)
