"""What the traceability service's composition root (`main.create_app`) builds once and
injects into routes and handlers: settings, clock, policy and the EPCIS JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from pydantic import Field

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.settings import ServiceSettings
from qgov_traceability.epcis.schema import EpcisSchema
from qgov_traceability.handlers import Context
from qgov_traceability.policy import Policy

# The schema is GS1's, not ours: it is read in place from the conformance data beside the
# repository (../shared/conformance), or from wherever a deployment puts it.
_CONFORMANCE = Path(__file__).resolve().parents[4].parent / "shared" / "conformance"
DEFAULT_SCHEMA = _CONFORMANCE / "epcis" / "schema" / "EPCIS-JSON-Schema.json"


class TraceabilitySettings(ServiceSettings):
    service_name: str = "traceability"
    port: int = 8005
    max_body_bytes: int = Field(
        16 * 1024 * 1024, description="The largest EPCIS document a capture takes, in bytes."
    )
    epcis_schema_path: Path = Field(DEFAULT_SCHEMA, description="GS1's EPCIS 2.0 JSON Schema.")
    capture_limit: int = Field(10_000, description="The most events one capture takes.")
    query_max_per_page: int = Field(1_000, description="The largest page of a query's events.")
    subscription_interval_s: float = Field(
        2.0, description="How often subscriptions look for new events to deliver."
    )
    subscription_batch: int = Field(200, description="Events delivered per webhook call.")
    webhook_timeout_s: float = 5.0
    webhook_retry_s: float = Field(30.0, description="Wait after a failed delivery, doubling.")


@dataclass(frozen=True, kw_only=True)
class TraceabilityDependencies(Dependencies):
    settings: TraceabilitySettings
    policy: Policy
    schema: EpcisSchema


TraceabilityDependenciesDep = Annotated[TraceabilityDependencies, Depends(get_dependencies)]


async def context(deps: TraceabilityDependenciesDep, principal: CurrentPrincipal) -> Context:
    """A use case's context: the policy, this request's instant, and who acts."""
    return Context(policy=deps.policy, now=deps.clock(), principal=principal)


ContextDep = Annotated[Context, Depends(context)]
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]
Enterprise = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE))]
Capturer = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.ADMIN))]
Member = Annotated[Principal, Depends(require_roles(Role.ENTERPRISE, Role.REGULATOR, Role.ADMIN))]
"""Whoever may read the event repository: enterprises (what concerns them), regulators (their
regions) and administrators."""
