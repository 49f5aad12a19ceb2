"""A fork server for the browser tests' API processes: import the app once, fork a server per test.

Every browser test runs the real API in a process of its own (its own database URL, var dir and settings), and
starting one cost about 5 s of CPU, nearly all of it importing the app (``python -X importtime -c "import
api.app"``). On a loaded 2-core machine that became 55 s of wall time a test. The zygote is a process that has
imported ``api.app`` once; for each server it forks a child, which takes the test's environment and runs uvicorn
with the app factory, exactly as ``python -m uvicorn api.app:create_app --factory`` would, minus the imports.

Why forking after the imports is sound here: importing ``api.app`` opens no connection, starts no thread and reads
no setting (settings are read by ``create_app``, which only the child calls); the Dramatiq broker, which reads
``PARKCLOUD_REDIS_URL`` when imported, is imported lazily by the code that sends jobs, so in the child. The
``random`` module reseeds itself after a fork; tokens and ids come from ``os.urandom``.

Protocol, over a Unix socket, one connection per server: the client sends one JSON line (``env``, ``cwd``,
``log``, ``host``, ``port``); the zygote answers ``{"pid": N}`` and, when the child has exited, ``{"exit": code}``
(negative: killed by that signal, as ``subprocess`` reports it). ``ForkedServer`` reads them as
``subprocess.Popen``'s ``poll``, ``wait``, ``terminate`` and ``kill``.

``PARKCLOUD_TEST_NO_ZYGOTE=1`` starts plain subprocesses instead (to rule the zygote out when a test fails).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
START_LIMIT_S = 300  # a hung start only; the zygote imports the app once, a few seconds on a quiet machine


class ServerProcess(Protocol):
    """What the tests use of a server process: ``subprocess.Popen`` and ``ForkedServer`` both are one."""

    def poll(self) -> int | None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def terminate(self) -> None: ...

    def kill(self) -> None: ...


class ForkedServer:
    """A server forked by the zygote, seen through its connection to the zygote."""

    def __init__(self, conn: socket.socket, pid: int, buffered: bytes = b"") -> None:
        self._conn = conn
        self._buffer = buffered  # what came after the pid's line, if the exit's did too
        self.pid = pid
        self.returncode: int | None = None

    def _read_exit(self, timeout: float | None) -> int | None:
        self._conn.settimeout(timeout)
        try:
            while b"\n" not in self._buffer:
                chunk = self._conn.recv(4096)
                if not chunk:  # the zygote itself is gone: so is the child's parent, report it dead
                    self.returncode = -signal.SIGKILL
                    return self.returncode
                self._buffer += chunk
        except (TimeoutError, BlockingIOError):
            return None
        self.returncode = int(json.loads(self._buffer.split(b"\n", 1)[0])["exit"])
        self._conn.close()
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is None:
            self._read_exit(0.0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and self._read_exit(timeout) is None:
            raise subprocess.TimeoutExpired(f"server {self.pid}", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def _signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)


class Zygote:
    """The client side: starts ``python -m tests.zygote`` once and asks it for servers."""

    def __init__(self) -> None:
        self._dir = tempfile.mkdtemp(prefix="parkcloud-zygote-")
        self.path = os.path.join(self._dir, "zygote.sock")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.zygote", self.path],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        ready = self.proc.stdout.readline()  # blocks until the imports are done, or the zygote died
        if ready.strip() != b"ready":
            self.proc.kill()
            raise RuntimeError(f"the test server zygote did not start: {ready!r}")

    def spawn(self, env: dict[str, str], log: Path, host: str, port: int) -> ForkedServer:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(self.path)
        request = {"env": env, "cwd": str(ROOT), "log": str(log), "host": host, "port": port}
        conn.sendall(json.dumps(request).encode() + b"\n")
        reply = b""
        conn.settimeout(START_LIMIT_S)
        while b"\n" not in reply:
            chunk = conn.recv(4096)
            if not chunk:
                raise RuntimeError("the test server zygote closed the connection without forking")
            reply += chunk
        line, rest = reply.split(b"\n", 1)
        return ForkedServer(conn, int(json.loads(line)["pid"]), rest)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_zygote: Zygote | None = None
_zygote_lock = threading.Lock()


def zygote() -> Zygote:
    """The test run's zygote, started on first use (tests call this from worker threads)."""
    global _zygote
    with _zygote_lock:
        if _zygote is None or _zygote.proc.poll() is not None:
            _zygote = Zygote()
            atexit.register(_zygote.close)
        return _zygote


def use_zygote() -> bool:
    return os.environ.get("PARKCLOUD_TEST_NO_ZYGOTE", "") not in {"1", "true", "yes"}


# The zygote process.


def _run_child(request: dict[str, object]) -> None:
    """In the forked child: become the test's server. Never returns."""
    code = 1
    try:
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # the listener and the other servers' connections
        log_fd = os.open(str(request["log"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        null_fd = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null_fd, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.chdir(str(request["cwd"]))
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        import uvicorn

        uvicorn.run("api.app:create_app", factory=True, host=str(request["host"]), port=int(str(request["port"])))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _serve(conn: socket.socket, children: set[int]) -> None:
    """One request: fork, answer the pid, then (in a thread) the exit code when the child ends."""
    reader = conn.makefile("rb")
    request = json.loads(reader.readline())
    pid = os.fork()
    if pid == 0:
        _run_child(request)
    children.add(pid)
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")

    def reap() -> None:
        _, status = os.waitpid(pid, 0)
        children.discard(pid)
        with contextlib.suppress(OSError):
            conn.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        conn.close()

    threading.Thread(target=reap, daemon=True).start()


def main(path: str) -> None:
    import api.app  # noqa: F401  (the point of the zygote: every child starts with it imported)

    children: set[int] = set()

    def stop(signum: int, frame: object) -> None:
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = listener.accept()
        try:
            _serve(conn, children)
        except Exception:  # one bad request must not take the other tests' servers down
            traceback.print_exc()
            conn.close()


if __name__ == "__main__":
    main(sys.argv[1])
