"""What the credit service's composition root (`main.create_app`) builds once and injects
into routes and handlers: settings, clock and the policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from qgov_credit.handlers import Context
from qgov_credit.policy import CreditPolicy
from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings


class CreditSettings(ServiceSettings):
    service_name: str = "credit"
    regrade_interval_s: float = 3600.0


@dataclass(frozen=True, kw_only=True)
class CreditDependencies(Dependencies):
    settings: CreditSettings
    policy: CreditPolicy

    def context(self) -> Context:
        """A use case's context at this instant."""
        return Context(policy=self.policy, now=self.clock())


CreditDependenciesDep = Annotated[CreditDependencies, Depends(get_dependencies)]


async def context(deps: CreditDependenciesDep) -> Context:
    return deps.context()


ContextDep = Annotated[Context, Depends(context)]


async def policy(deps: CreditDependenciesDep) -> CreditPolicy:
    return deps.policy


PolicyDep = Annotated[CreditPolicy, Depends(policy)]
