"""The standards service's use cases (writes), by concern: `declaring` (file, revise,
withdraw), `flagging` (a declaration left below the floor), `catalogue` (national standards and
their limits), `checks` (regulators' checks and inspections' results), `plans` and `ranking`
(frontrunners), `seeding` (the development catalogue). Each runs inside a unit of work its
caller commits, with the `Context` of its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qgov_shared.auth import Principal
from qgov_standards.policy import Policy

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Standards take effect on calendar days in China Standard Time."""
        return self.now.astimezone(CHINA).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"
