"""What the inspections service's composition root (`main.create_app`) builds once and injects
into routes and handlers: settings, clock and policy; and who the caller is, laboratories
included (they send their key, not a token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header

from qgov_inspections.blinding import key_digest
from qgov_inspections.handlers import Context
from qgov_inspections.models import Laboratory
from qgov_inspections.policy import Policy
from qgov_inspections.queries.inspections import laboratory_by_key
from qgov_shared.app import Dependencies, SessionDep, get_dependencies
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.http.problems import ProblemException
from qgov_shared.settings import ServiceSettings

LABORATORY_KEY = "X-Laboratory-Key"


class InspectionsSettings(ServiceSettings):
    service_name: str = "inspections"
    port: int = 8006
    finalise_interval_s: float = 300.0
    """How often results whose objection period ended are made final."""


@dataclass(frozen=True, kw_only=True)
class InspectionsDependencies(Dependencies):
    settings: InspectionsSettings
    policy: Policy

    def context(self, principal: Principal) -> Context:
        return Context(policy=self.policy, now=self.clock(), principal=principal)


InspectionsDependenciesDep = Annotated[InspectionsDependencies, Depends(get_dependencies)]


async def context(deps: InspectionsDependenciesDep, principal: CurrentPrincipal) -> Context:
    """A use case's context: the policy, this request's instant, and who acts."""
    return deps.context(principal)


async def laboratory(
    session: SessionDep,
    key: Annotated[
        str | None,
        Header(
            alias=LABORATORY_KEY,
            max_length=100,
            description="the key the laboratory was given when it was registered",
        ),
    ] = None,
) -> Laboratory:
    found = await laboratory_by_key(session, key_digest(key)) if key else None
    if found is None:
        raise ProblemException(
            401,
            "A laboratory's key is required.",
            errors=[{"header": LABORATORY_KEY, "detail": "missing or unknown"}],
        )
    return found


ContextDep = Annotated[Context, Depends(context)]
LaboratoryDep = Annotated[Laboratory, Depends(laboratory)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.ADMIN))]
