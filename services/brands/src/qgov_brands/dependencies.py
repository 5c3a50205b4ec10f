"""What the brands service's composition root (`main.create_app`) builds once and injects
into routes and handlers: settings, clock and policy (the programmes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_brands.handlers import Context
from qgov_brands.policy import Policy
from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.settings import ServiceSettings


class BrandsSettings(ServiceSettings):
    service_name: str = "brands"
    port: int = 8004


@dataclass(frozen=True, kw_only=True)
class BrandsDependencies(Dependencies):
    settings: BrandsSettings
    policy: Policy


BrandsDependenciesDep = Annotated[BrandsDependencies, Depends(get_dependencies)]


async def context(deps: BrandsDependenciesDep, principal: CurrentPrincipal) -> Context:
    """A use case's context: the policy, this request's instant, and who acts."""
    return Context(policy=deps.policy, now=deps.clock(), principal=principal)


ContextDep = Annotated[Context, Depends(context)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
Reviewer = Annotated[Principal, Depends(require_roles(Role.REVIEWER))]
Participant = Annotated[
    Principal, Depends(require_roles(Role.ENTERPRISE, Role.REGULATOR, Role.ADMIN, Role.REVIEWER))
]
