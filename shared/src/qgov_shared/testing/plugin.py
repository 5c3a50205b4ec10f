"""pytest plugin (loaded with `-p qgov_shared.testing.plugin`): the real stack as fixtures, and
the tables tests report (`table_row`), printed at the end of the run."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from qgov_shared.testing.contracts import Contracts, find_contracts
from qgov_shared.testing.stack import TestStack, start_stack


@pytest.fixture(scope="session")
def stack_process() -> Iterator[TestStack]:
    # Not pytest's tmp_path: its 0700 folders keep out the PostgreSQL server, which runs as
    # its own system user when the tests run as root.
    work_dir = Path(tempfile.mkdtemp(prefix="qgov-test-"))
    stack, stop = start_stack(work_dir)
    try:
        yield stack
    finally:
        stop()
        shutil.rmtree(work_dir, ignore_errors=True)


@pytest.fixture(scope="session")
async def stack(stack_process: TestStack) -> AsyncIterator[TestStack]:
    """PostgreSQL and the broker, started once for the whole session."""
    yield stack_process
    await stack_process.drop_templates()


@pytest.fixture(scope="session")
def contracts(pytestconfig: pytest.Config) -> Contracts:
    """The repository's event contracts (`contracts/`)."""
    return find_contracts(pytestconfig.rootpath)


_TABLE_ROW = "qgov_table_row"


def table_row(request: pytest.FixtureRequest, title: str, row: dict[str, Any]) -> None:
    """A row of the table `title`, printed after the run. It travels in the test's report, so
    it reaches the main process from pytest-xdist's workers too."""
    request.node.user_properties.append((_TABLE_ROW, (title, row)))


def pytest_terminal_summary(terminalreporter) -> None:
    tables: dict[str, list[dict[str, Any]]] = {}
    for kind in ("passed", "failed"):
        for report in terminalreporter.stats.get(kind, []):
            if report.when != "call":
                continue
            for key, value in report.user_properties:
                if key == _TABLE_ROW:
                    title, row = value
                    tables.setdefault(title, []).append(row)
    for title, rows in tables.items():
        header = list(rows[0])
        lines = [header, *([str(row.get(name, "")) for name in header] for row in rows)]
        widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(
                "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True))
            )
