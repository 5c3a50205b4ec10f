"""The complaints service's use cases (writes), by concern: `filing` takes in complaints and
reports, `procedure` applies the steps of the 12315 procedure (regulators', the respondent's
and the citizen's rating), and `overdue` announces deadlines that passed. Each runs inside a
unit of work the caller commits, with the `Context` of its moment; `recording` is how every
step is stored: the row's new state, an audit-trail entry, and the fact it announces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qgov_complaints.policy import Policy
from qgov_shared.auth import Principal


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Deadlines count in the regulators' own calendar days (China Standard Time)."""
        return self.now.astimezone(ZoneInfo(self.policy.timezone)).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"
