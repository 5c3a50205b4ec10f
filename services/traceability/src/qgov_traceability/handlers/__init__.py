"""The traceability service's use cases (writes), by concern: `capture` takes EPCIS documents
and events into the repository (`storing` writes them with their indexes and trace-graph
edges), `parties` registers GS1 company prefixes, `certificates` issues compliance
certificates, `recalls` runs recalls, `named_queries` keeps partners' queries and
subscriptions, and `delivery` sends subscribed events to webhooks. Each runs inside a unit of
work the caller commits, with the `Context` of its moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from qgov_shared.auth import Principal
from qgov_traceability.policy import Policy

CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Recall and certificate dates are China Standard Time days."""
        return self.now.astimezone(CHINA).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"
