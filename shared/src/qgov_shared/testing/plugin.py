"""pytest plugin (loaded with `-p qgov_shared.testing.plugin`): the real stack as fixtures."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

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
