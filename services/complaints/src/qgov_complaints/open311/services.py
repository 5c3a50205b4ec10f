"""Service discovery: one Open311 service per complaint category of the policy, each asking the
same attributes."""

from __future__ import annotations

import re

from fastapi import APIRouter

from qgov_complaints.dependencies import PolicyDep
from qgov_complaints.open311.attributes import ATTRIBUTES
from qgov_complaints.open311.schemas import GROUP, Attribute, Service, ServiceDefinition
from qgov_complaints.policy import Policy
from qgov_shared.http.problems import ProblemException

router = APIRouter()


@router.get("/services.json", response_model=list[Service])
async def list_services(policy: PolicyDep) -> list[Service]:
    """One service per complaint category of the 12315 policy."""
    return [_service(code, name) for code, name in policy.categories.items()]


@router.get("/services/{service_code}.json", response_model=ServiceDefinition)
async def service_definition(service_code: str, policy: PolicyDep) -> ServiceDefinition:
    """What a complaint of this category asks, beyond the standard fields."""
    check_service_code(service_code, policy, where="path")
    return ServiceDefinition(
        service_code=service_code,
        attributes=[
            Attribute(
                code=attribute.code,
                datatype=attribute.datatype,
                required=attribute.required,
                datatype_description=attribute.datatype_description,
                order=order,
                description=attribute.description,
            )
            for order, attribute in enumerate(ATTRIBUTES, start=1)
        ],
    )


def _service(code: str, name: str) -> Service:
    # The parts of a compound name ("药品与医疗器械") are its most useful synonyms.
    parts = [part for part in re.split("[与及和]", name) if part != name]
    return Service(
        service_code=code,
        service_name=name,
        description=f"投诉经营者在{name}方面侵害消费者权益，由市场监督管理部门受理并组织调解",
        keywords=", ".join([name, *parts, "消费投诉", GROUP]),
    )


def check_service_code(code: str, policy: Policy, where: str) -> None:
    if code not in policy.categories:
        raise ProblemException(
            404,
            f"No service {code!r}; GET services.json lists them.",
            errors=[{"parameter": "service_code", "in": where, "detail": "unknown service"}],
        )
