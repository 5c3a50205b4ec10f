"""What the complaints service's composition root (`main.create_app`) builds once and injects
into routes and handlers: settings, clock, policy and the public rate limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_complaints.handlers import Context
from qgov_complaints.policy import Policy
from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.settings import ServiceSettings


class ComplaintsSettings(ServiceSettings):
    service_name: str = "complaints"
    overdue_scan_interval_s: float = 300.0


@dataclass(frozen=True, kw_only=True)
class ComplaintsDependencies(Dependencies):
    settings: ComplaintsSettings
    policy: Policy


ComplaintsDependenciesDep = Annotated[ComplaintsDependencies, Depends(get_dependencies)]


async def context(deps: ComplaintsDependenciesDep, principal: CurrentPrincipal) -> Context:
    """A use case's context: the policy, this request's instant, and who acts."""
    return Context(policy=deps.policy, now=deps.clock(), principal=principal)


async def policy(deps: ComplaintsDependenciesDep) -> Policy:
    return deps.policy


ContextDep = Annotated[Context, Depends(context)]
PolicyDep = Annotated[Policy, Depends(policy)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
