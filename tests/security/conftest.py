"""Counts that security tests report (e.g. the fuzzing tallies) are printed in pytest's summary."""

from __future__ import annotations

import pytest

TALLIES = pytest.StashKey[list[str]]()


def report(config: pytest.Config, line: str) -> None:
    config.stash.setdefault(TALLIES, []).append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(TALLIES, [])
    if lines:
        terminalreporter.section("security tallies")
        for line in lines:
            terminalreporter.write_line(line)
