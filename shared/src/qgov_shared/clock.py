"""Time as a dependency: every rule that reads the time reads it from an injected `Clock`, so a
test can stand it still or move it, and nothing depends on the date the code happens to run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current instant, timezone-aware."""


def system_clock() -> datetime:
    return datetime.now(UTC)
