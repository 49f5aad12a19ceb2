"""`parkcloud serve` as it is started: outside development an unsafe secret stops it; in development it
starts with no secret, keeps var/ private, and its access log carries no secret from a query string."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from config.settings import DEVELOPMENT, InsecureSettings, Settings, check, secret_key_problem

ROOT = Path(__file__).resolve().parents[2]
START_S = 60.0  # a generous bound on imports on a busy machine: a hang fails instead of blocking


def env_for(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARKCLOUD_")}
    env.update(
        PYTHONPATH=str(ROOT), PARKCLOUD_VAR_DIR=str(var_dir), PARKCLOUD_DEVICE_POLL_S="0", PARKCLOUD_WEB_DIST="none"
    )
    env.update({f"PARKCLOUD_{k}": v for k, v in extra.items()})
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(var_dir: Path, port: int, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env_for(var_dir, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        (None, "is not set"),
        ("test-secret-key", "published default"),
        ("0123456789abcdef0123456789abcdef", "shorter than 32 random bytes"),
    ],
)
def test_production_refuses_to_start_with_an_unsafe_secret(tmp_path: Path, secret: str | None, reason: str) -> None:
    extra = {"ENV": "production"} | ({"SECRET_KEY": secret} if secret else {})
    process = serve(tmp_path / "var", free_port(), **extra)
    output, _ = process.communicate(timeout=START_S)
    assert process.returncode == 2, output
    assert reason in output
    # Nothing was generated in its place
    assert not (tmp_path / "var" / ".secret_key").exists()


def test_development_starts_without_a_secret_and_keeps_var_private(tmp_path: Path) -> None:
    # Given a var/ folder left readable by an older version
    var_dir = tmp_path / "var"
    (var_dir / "images").mkdir(parents=True)
    (var_dir / "images" / "old.jpg").write_bytes(b"jpeg")
    var_dir.chmod(0o755)
    (var_dir / "images").chmod(0o755)
    (var_dir / "images" / "old.jpg").chmod(0o644)
    port = free_port()
    process = serve(var_dir, port)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_S
        while True:
            try:
                assert httpx.get(f"{url}/healthz").status_code == 200
                break
            except httpx.TransportError:
                assert process.poll() is None, process.communicate()[0]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        # When a camera gives its secret in the URL and a GraphQL document with a password goes by GET
        httpx.get(f"{url}/healthz", params={"key": "CamSecret-77", "lot": "7"})
        httpx.get(
            f"{url}/graphql",
            params={"query": 'mutation { login(username: "a", password: "Hunter2-x") { __typename } }'},
        )
        httpx.post(f"{url}/graphql", json={"query": 'mutation { login(username: "a", password: "Hunter3-x" '})
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=START_S)
    # Then var/ holds only private files and folders, the generated key among them
    modes = {str(p.relative_to(var_dir)): stat.S_IMODE(p.stat().st_mode) for p in [var_dir, *var_dir.rglob("*")]}
    assert modes == {".": 0o700, ".secret_key": 0o600, "images": 0o700, "images/old.jpg": 0o600}
    # And the access log shows the requests without their secrets
    assert "GET /healthz?key=***&lot=7" in output, output
    assert "GET /graphql?query=***" in output, output
    for secret in ("CamSecret-77", "Hunter2-x", "Hunter3-x"):
        assert secret not in output


@pytest.mark.parametrize(
    "key",
    ["", "secret", "test-secret-key", "a" * 64, "0123456789abcdef" * 3, "short-but-random-Xy7"],
)
def test_unsafe_secrets(key: str) -> None:
    assert secret_key_problem(key) is not None


@pytest.mark.parametrize(
    "key",
    ["Zq8mV1x-Yw3nR0bK7cT2uE5aH9jL4pS6dF0gQ1iO2kM", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
)
def test_random_secrets_of_32_bytes(key: str) -> None:
    assert secret_key_problem(key) is None


def test_development_settings_need_no_secret(settings: Settings) -> None:
    # The test suite's own settings (secret "test-secret-key") are development settings and pass.
    assert settings.environment == DEVELOPMENT
    check(settings)
    with pytest.raises(InsecureSettings, match="published default"):
        check(Settings(**{**settings.__dict__, "environment": "production"}))
