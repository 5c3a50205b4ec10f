"""OWASP API5:2023, broken function-level authorization: every operation the platform's
documents reserve for some roles, called through the gateway as anyone else, is refused:
401 without a token, 403 with the token of a role it does not admit. Nothing runs first."""

from __future__ import annotations

import httpx
import pytest

from qgov_shared.testing.tokens import bearer

from .conftest import KEYS
from .openapi_operations import A_CODE, operations

RESTRICTED = [operation for operation in operations() if operation.roles]
CALLERS = {
    "citizen": bearer(KEYS.mint("citizen", sub="api5-citizen")),
    "enterprise": bearer(KEYS.mint("enterprise", sub="api5-firm", credit_code=A_CODE)),
    "reviewer": bearer(KEYS.mint("reviewer", sub="api5-reviewer")),
    "regulator": bearer(KEYS.mint("regulator", sub="api5-regulator", regions=["440200"])),
}


def test_the_documents_reserve_operations_of_every_service() -> None:
    services = {operation.service for operation in RESTRICTED}
    assert services == {
        "brands",
        "complaints",
        "credit",
        "gateway",
        "inspections",
        "standards",
        "traceability",
    }
    assert len(RESTRICTED) > 90


async def test_every_reserved_operation_refuses_every_other_caller(platform) -> None:
    refused_wrongly = []
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        for operation in RESTRICTED:
            expected = {"anonymous": 401} | {
                role: 403 for role in CALLERS if role not in operation.roles
            }
            for caller, status in expected.items():
                headers = CALLERS.get(caller, {})
                body = {} if operation.method in ("post", "put", "patch") else None
                answer = await client.request(
                    operation.method, operation.url, json=body, headers=headers
                )
                if answer.status_code != status:
                    refused_wrongly.append(f"{operation} as {caller}: {answer.status_code}")
    if refused_wrongly:
        pytest.fail("\n".join(refused_wrongly), pytrace=False)
