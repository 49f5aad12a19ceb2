"""Shared helpers for camera tests: captured payload fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cameras"


@pytest.fixture
def fixture_bytes() -> Callable[[str], bytes]:
    def load(name: str) -> bytes:
        return (FIXTURES / name).read_bytes()

    return load


# Filled by the push fuzz test; printed at the end of the run so CI's log shows what was sent.
FUZZ_COUNTS: dict[str, int] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FUZZ_COUNTS:
        terminalreporter.section("camera push fuzz")
        for name, count in FUZZ_COUNTS.items():
            terminalreporter.write_line(f"{name}: {count}")
