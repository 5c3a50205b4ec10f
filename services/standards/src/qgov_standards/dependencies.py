"""What the standards service's composition root (`main.create_app`) builds once and injects
into routes and handlers: settings, clock and policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.settings import ServiceSettings
from qgov_standards.handlers import Context
from qgov_standards.policy import Policy


class StandardsSettings(ServiceSettings):
    service_name: str = "standards"
    port: int = 8003
    ranking_interval_s: float = 60.0
    """How often the ranker looks for categories whose declarations or plan changed: a busy
    category is ranked anew at most this often (10,000 declarations take seconds)."""


@dataclass(frozen=True, kw_only=True)
class StandardsDependencies(Dependencies):
    settings: StandardsSettings
    policy: Policy

    def context(self, principal: Principal) -> Context:
        return Context(policy=self.policy, now=self.clock(), principal=principal)


StandardsDependenciesDep = Annotated[StandardsDependencies, Depends(get_dependencies)]


async def context(deps: StandardsDependenciesDep, principal: CurrentPrincipal) -> Context:
    """A use case's context: the policy, this request's instant, and who acts."""
    return deps.context(principal)


ContextDep = Annotated[Context, Depends(context)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
