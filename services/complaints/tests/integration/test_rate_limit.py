"""Anonymous filing is rate limited per client; a refused filing stores nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_complaints import SERVICE
from qgov_complaints.main import ComplaintsSettings, create_app
from qgov_complaints.models import Submission
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.stack import TestStack, run_service

COMPLAINT = {
    "complainant": {"name": "李四", "phone": "13912345678", "address": "广东省韶关市武江区某路2号"},
    "respondent": {"name": "韶关某商场", "credit_code": "9144030071526726XG"},
    "request": "退款",
    "facts": "商品与宣传不符",
    "category": "household_goods",
    "region_code": "440203",
}


async def test_a_client_past_its_burst_gets_429_and_nothing_is_filed(stack: TestStack) -> None:
    limits = {"public_rate_burst": 2, "public_rate_per_minute": 1, "run_consumers": False}
    app = lambda settings: create_app(settings, clock=TestClock())  # noqa: E731
    async with run_service(stack, SERVICE, app, ComplaintsSettings, **limits) as service:
        answers = [
            await service.client.post("/api/v1/complaints", json=COMPLAINT) for _ in range(3)
        ]
        report = await service.client.post(
            "/api/v1/reports",
            json={key: COMPLAINT[key] for key in ("respondent", "facts", "region_code")},
        )
        async with service.runtime.session_factory() as session:
            stored = await session.scalar(select(func.count()).select_from(Submission))

    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert int(answers[2].headers["Retry-After"]) > 0
    assert answers[2].headers["content-type"] == "application/problem+json"
    assert report.status_code == 429  # the same bucket covers every public filing route
    assert stored == 2
