"""The brands service's use cases (writes), by concern: `brands` registers and transfers
brands, `reviewers` registers experts and assigns them, `applying` takes applications in,
`steps` moves them through their programme's stages, `rounds` applies a round's quotas,
`objections` takes and resolves objections to a public notice, `awards` suspends, reinstates
and revokes, and `credit` keeps the view of credit's events. Each runs inside a unit of work
the caller commits, with the `Context` of its moment; `recording` is how every step of an
application or an award is stored: the row, an audit-trail entry, and the fact announced."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from qgov_brands.domain import ProgrammeNotFound
from qgov_brands.policy import Policy
from qgov_brands.programme import Programme
from qgov_shared.auth import Principal


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its input: the policy, the time, and who acts."""

    policy: Policy
    now: datetime
    principal: Principal

    @property
    def today(self) -> date:
        """Windows and periods count in the regulators' calendar days (China Standard Time)."""
        return self.now.astimezone(self.policy.timezone).date()

    @property
    def actor(self) -> str:
        return f"{self.principal.role}:{self.principal.subject or 'anonymous'}"

    def programme(self, code: str) -> Programme:
        try:
            return self.policy.programmes[code]
        except KeyError:
            raise ProgrammeNotFound(code) from None
