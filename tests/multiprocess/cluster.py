"""A deployment in miniature: 2 ``parkcloud serve`` processes and 1 ``parkcloud worker`` on one PostgreSQL and
Redis, with haproxy round-robin in front, as an operator runs it (README "Scaling out").

The processes reach Redis through ``FaultyRedis`` (tests/realtime/faulty_redis.py), run in a thread of its own so
that a test can cut Redis for these processes only: the Redis server is shared with other people and is never
restarted. Everything is started by the fixture and killed after; the scratch database is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from tests.realtime.faulty_redis import FaultyRedis, Mode

ROOT = Path(__file__).resolve().parent.parent.parent
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
# Generous: two cold Python processes importing the whole app on a busy two-core machine.
START_S = 120.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadedFaultyRedis:
    """``FaultyRedis`` on an event loop of its own, so it forwards whatever the test's loop is doing."""

    def __init__(self, redis_url: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="faulty-redis", daemon=True)
        self._thread.start()
        self.front = FaultyRedis(redis_url)
        self._call(self.front.start())

    def _call(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=10)

    def url(self) -> str:
        return self.front.url()

    def set(self, mode: Mode) -> None:
        self._loop.call_soon_threadsafe(self.front.set, mode)

    def close(self) -> None:
        self._call(self.front.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


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
    redis: ThreadedFaultyRedis
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
            "PARKCLOUD_REDIS_URL": self.redis.url(),
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


@contextlib.contextmanager
def running_cluster(database_url: str, redis_url: str, var_dir: Path, **extra_env: str) -> Iterator[Cluster]:
    redis = ThreadedFaultyRedis(redis_url)
    cluster = Cluster(database_url, redis, "test-secret-key", var_dir, extra_env=dict(extra_env))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        redis.close()
