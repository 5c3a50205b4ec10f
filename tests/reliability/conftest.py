"""One platform of separate processes for the whole fault suite."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .platform import Platform, running_platform


@pytest.fixture(scope="module")
async def platform(tmp_path_factory) -> AsyncIterator[Platform]:
    async with running_platform(tmp_path_factory.mktemp("reliability")) as running:
        yield running
