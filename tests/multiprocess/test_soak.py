"""`python -m bench soak` for a few seconds: one JSON line of its shape, and every kind of load happened without
an error (its figures are measurements, never asserted: see docs/deployment.md, "The soak")."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench._cluster import ROOT
from tests.conftest import POSTGRES_URL, REDIS_URL

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

KIND_FIELDS = {"n", "per_s", "p50_ms", "p99_ms", "errors"}


def test_a_short_soak_prints_one_line_of_readings_payments_and_console_events_without_errors() -> None:
    # given the tests' PostgreSQL and Redis
    env = {**os.environ, "PARKCLOUD_TEST_POSTGRES_URL": POSTGRES_URL, "PARKCLOUD_TEST_REDIS_URL": REDIS_URL}
    # when the soak runs for 6 seconds with fewer consoles than its default
    done = subprocess.run(
        [sys.executable, "-m", "bench", "soak", "--minutes", "0.1", "--subscribers", "4"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # then it prints one JSON line and nothing else
    assert done.returncode == 0, done.stderr[-5000:]
    [line] = done.stdout.splitlines()
    result = json.loads(line)
    assert "skipped" not in result, result
    assert result["bench"] == "soak"
    assert result["minutes"] == 0.1
    assert result["load_start"] < result["load_end"]
    # and each kind of load happened, and none failed
    assert set(result["kinds"]) == {"reading", "payment", "console"}
    for name, kind in result["kinds"].items():
        assert set(kind) >= KIND_FIELDS, name
        assert kind["n"] > 0, name
        assert kind["errors"] == 0, (name, kind)
    console = result["kinds"]["console"]
    assert console["subscribers"] == 4
    assert console["missed"] == 0
    assert console["delivered"] == console["events"] * 4
    assert result["errors"] == 0
    # and the memory of each process was read at the start and the end of the load
    assert set(result["memory"]) == {"api-1", "api-2", "worker"}
    for name, memory in result["memory"].items():
        assert memory["start_mb"] > 0, name
        assert memory["end_mb"] > 0, name
        assert memory["growth"] == round((memory["end_mb"] - memory["start_mb"]) / memory["start_mb"], 3)
    assert result["memory_flat"] == all(m["growth"] <= 0.10 for m in result["memory"].values())
