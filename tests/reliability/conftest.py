"""One platform of separate processes for the whole fault suite, and its table of results."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from .platform import Platform, running_platform


@dataclass(frozen=True)
class Row:
    fault: str
    requests: int
    lost: int
    doubled: int
    server_errors: int
    not_now: int  # the documented 503s, which the clients retried
    recovery_s: float


ROW = "fault_row"
"""A test's row of the table, in its report's user properties (they reach the main process from
pytest-xdist's workers too)."""


@pytest.fixture(scope="module")
async def platform(tmp_path_factory) -> AsyncIterator[Platform]:
    async with running_platform(tmp_path_factory.mktemp("reliability")) as running:
        yield running


def pytest_terminal_summary(terminalreporter) -> None:
    reports = [
        report
        for kind in ("passed", "failed")
        for report in terminalreporter.stats.get(kind, [])
        if report.when == "call"
    ]
    rows = [Row(*value) for r in reports for key, value in r.user_properties if key == ROW]
    if not rows:
        return
    header = ("fault", "requests", "lost", "doubled", "5xx", "503 (retried)", "recovered in")
    lines = [
        (r.fault, r.requests, r.lost, r.doubled, r.server_errors, r.not_now, f"{r.recovery_s:.1f}s")
        for r in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    terminalreporter.section("faults: nothing lost, nothing doubled")
    for line in (header, *lines):
        terminalreporter.write_line(
            "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True))
        )
