"""The inspections service's use cases (writes), by concern: `roster` (inspectors, conflicts,
laboratories, the directory import), `directory` (the standards and credit services' events),
`campaigns` (publication and the draw), `testing` (samples, laboratories' results, objections,
retests, finality) and `follow_up` (after a failure). Each runs inside a unit of work its
caller commits, with the `Context` of its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qgov_inspections.policy import Policy
from qgov_shared.auth import Principal

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Periods count in the regulators' calendar days (China Standard Time)."""
        return self.now.astimezone(CHINA).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"[:100]
