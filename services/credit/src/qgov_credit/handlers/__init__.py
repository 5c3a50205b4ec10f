"""The credit service's use cases, by concern: `intake` takes in other services' facts,
`files` regulators' records and file headers, `grading` keeps each assessment current and
announces its changes, `listing` puts enterprises on and off the serious-violation list, and
`repair` decides credit-repair applications. Each takes the `Context` of its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qgov_credit.policy import CreditPolicy

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Context:
    """What a use case decides by: the policy, and the instant it acts at."""

    policy: CreditPolicy
    now: datetime

    @property
    def today(self) -> date:
        """The regulators' calendar day (China Standard Time) at `now`."""
        return self.now.astimezone(CHINA).date()
