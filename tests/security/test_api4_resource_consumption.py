"""OWASP API4:2023, unrestricted resource consumption: no list answers more than its declared
page size (every `limit` has a maximum, and one past it is refused through the gateway),
EPCIS pages and Open311 windows are bounded, and the public filing endpoints are rate
limited per client. (Body sizes: test_bodies and test_api8.)"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from qgov_complaints import SERVICE
from qgov_complaints.main import ComplaintsSettings, create_app
from qgov_complaints.models import Submission
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import TestStack, run_service
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS
from .filings import complaint
from .openapi_operations import A_CODE, operations

LARGEST_PAGE = 1000
PAGED = [
    (operation, parameter["schema"].get("maximum"))
    for operation in operations()
    for parameter in operation.document.get("parameters", [])
    if parameter["name"] == "limit" and parameter["in"] == "query"
]
TOKENS = {
    None: {},
    "citizen": bearer(KEYS.mint("citizen", sub="api4-citizen")),
    "enterprise": bearer(KEYS.mint("enterprise", sub="api4-firm", credit_code=A_CODE)),
    "regulator": bearer(KEYS.mint("regulator", sub="api4-regulator", regions=["440200"])),
    "reviewer": bearer(KEYS.mint("reviewer", sub="api4-reviewer")),
    "admin": bearer(KEYS.mint("admin", sub="api4-admin")),
}


def test_every_page_size_is_bounded() -> None:
    assert len(PAGED) > 30
    unbounded = [str(operation) for operation, maximum in PAGED if maximum is None]
    assert unbounded == []
    assert max(maximum for _, maximum in PAGED) <= LARGEST_PAGE


def _keyed(operation) -> bool:
    """Called with a key of its own (a laboratory's), which it checks before its parameters."""
    return any(
        p["in"] == "header" and p["name"].endswith("-Key")
        for p in operation.document.get("parameters", [])
    )


async def test_a_page_past_its_maximum_is_refused_naming_limit(platform) -> None:
    accepted = []
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        for operation, maximum in PAGED:
            if _keyed(operation):
                continue
            role = min(operation.roles) if operation.roles else None
            answer = await client.get(
                operation.url, params={"limit": maximum + 1}, headers=TOKENS[role]
            )
            named = [e.get("parameter") for e in answer.json().get("errors", [])]
            if answer.status_code != 422 or "limit" not in named:
                accepted.append(f"{operation}: {answer.status_code} {answer.text[:150]}")
    assert accepted == []


async def test_an_epcis_page_past_its_maximum_is_refused(platform) -> None:
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        answer = await client.get(
            "/epcis/events", params={"perPage": "1000000"}, headers=TOKENS["enterprise"]
        )
    assert problem(answer, 400)["type"].endswith("QueryParameterException")


async def test_an_open311_window_longer_than_90_days_is_refused(platform) -> None:
    window = {"start_date": "2026-01-01", "end_date": "2026-06-30"}
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        answer = await client.get("/open311/v2/requests.json", params=window)
    assert [e["parameter"] for e in problem(answer, 400)["errors"]] == ["end_date"]


async def test_anonymous_filings_past_the_burst_wait(stack: TestStack) -> None:
    async with run_service(
        stack,
        SERVICE,
        create_app,
        ComplaintsSettings,
        public_rate_burst=2,
        public_rate_per_minute=1.0,
    ) as service:
        answers = [
            await service.client.post("/api/v1/complaints", json=complaint()) for _ in range(3)
        ]
        async with service.runtime.session_factory() as session:
            stored = await session.scalar(select(func.count()).select_from(Submission))
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert int(answers[-1].headers["retry-after"]) > 0
    assert stored == 2
