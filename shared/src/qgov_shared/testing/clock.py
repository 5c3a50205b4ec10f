"""A clock for tests: it stands still until the test moves it.

Every test clock starts at `START`, a fixed instant, so no test depends on the date it runs;
`QGOV_TEST_CLOCK_START` (an ISO date or date-time) moves it, to show that the suite passes on
any date: `make test` with `QGOV_TEST_CLOCK_START=2027-12-02`, or with today's date.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
DEFAULT_START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def configured_start() -> datetime:
    text = os.environ.get("QGOV_TEST_CLOCK_START")
    if not text:
        return DEFAULT_START
    start = datetime.fromisoformat(text)
    return start if start.tzinfo else start.replace(tzinfo=UTC)


START = configured_start()
"""Where every test clock starts unless the test sets another instant."""


class TestClock:
    """Callable as a `Clock`; `set`, `advance` and `today` move it."""

    __test__ = False  # a helper, not a test class, despite its name

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> datetime:
        """Move on by `timedelta(**delta)`; the new instant."""
        self.now += timedelta(**delta)
        return self.now

    def today(self, day: date, hour: int = 10) -> None:
        """Stand at `hour` o'clock of `day` in China Standard Time (the regulators' calendar)."""
        self.now = datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)
