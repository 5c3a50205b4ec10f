"""Finding an enterprise by part of its name or the start of its credit code, a page at a
time; and the overview's months: complaints filed by category and month, and the overdue
trend, counted by the calendar month in China."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from qgov_gateway.projections.complaints import CHINA, months_up_to
from qgov_shared.testing.clock import START, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, apply, day, read_model_gateway, submission

SEARCH = "/api/v1/enterprises/search"
REGULATOR = bearer(KEYS.mint("regulator", regions=["440200"]))


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with read_model_gateway(stack, clock) as svc:
        yield svc


async def _onboard(gateway: RunningService, serial: int, name: str) -> str:
    code = credit_code(serial, "440203")
    response = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": code, "name": name}
    )
    assert response.status_code == 201, response.text
    return code


async def test_enterprises_are_found_by_part_of_their_name_a_page_at_a_time(
    gateway: RunningService,
) -> None:
    rice = await _onboard(gateway, 1, "韶关市美的电饭煲有限公司")
    kettle = await _onboard(gateway, 2, "韶关市电水壶厂")
    await _onboard(gateway, 3, "广州乳业有限公司")
    latin = await _onboard(gateway, 4, "Shaoguan 100% Appliances Ltd")

    first = await gateway.client.get(SEARCH, params={"q": "韶关市", "limit": 1})
    assert first.status_code == 200, first.text
    page = first.json()
    assert [hit["credit_code"] for hit in page["items"]] == [kettle]  # by name: 电水 < 美的
    assert page["items"][0] == {
        "credit_code": kettle,
        "name": "韶关市电水壶厂",
        "region_code": "440203",
        "grade": None,
    }
    rest = await gateway.client.get(
        SEARCH, params={"q": "韶关市", "limit": 1, "cursor": page["next_cursor"]}
    )
    assert [hit["credit_code"] for hit in rest.json()["items"]] == [rice]
    assert rest.json()["next_cursor"] is None

    anywhere = (await gateway.client.get(SEARCH, params={"q": "电饭煲"})).json()
    assert [hit["credit_code"] for hit in anywhere["items"]] == [rice]
    by_case = (await gateway.client.get(SEARCH, params={"q": "appliances"})).json()
    assert [hit["credit_code"] for hit in by_case["items"]] == [latin]
    # % and _ are letters here, not wildcards.
    literal = (await gateway.client.get(SEARCH, params={"q": "100%"})).json()
    assert [hit["credit_code"] for hit in literal["items"]] == [latin]
    assert (await gateway.client.get(SEARCH, params={"q": "%"})).json()["items"] != []
    assert (await gateway.client.get(SEARCH, params={"q": "_"})).json()["items"] == []

    by_code = (await gateway.client.get(SEARCH, params={"q": rice[:12].lower()})).json()
    assert rice in [hit["credit_code"] for hit in by_code["items"]]


async def test_a_search_is_bounded_and_its_cursor_checked(gateway: RunningService) -> None:
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "字" * 51}, {"q": "a", "limit": 501}):
        refused = await gateway.client.get(SEARCH, params=params)
        assert refused.status_code == 422, params
        assert refused.headers["content-type"] == "application/problem+json"
    forged = await gateway.client.get(SEARCH, params={"q": "a", "cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status_code == 422
    assert forged.json()["errors"][0]["parameter"] == "cursor"


def test_the_months_shown_end_with_the_current_one_in_china() -> None:
    new_year = datetime(2026, 1, 15, 12, tzinfo=UTC)
    assert months_up_to(new_year, 3) == ["2025-11", "2025-12", "2026-01"]
    # 16:30 UTC on 31 October is already November in China.
    assert months_up_to(datetime(2026, 10, 31, 16, 30, tzinfo=UTC), 1) == ["2026-11"]
    assert len(months_up_to(new_year)) == 12


async def test_the_overview_counts_complaints_and_overdue_ones_by_month(
    gateway: RunningService, contracts
) -> None:
    code = credit_code(1, "440203")
    last_month = START - timedelta(days=35)
    long_ago = START - timedelta(days=400)

    def filed(number: str, at: datetime, category: str) -> object:
        return submission(
            "complaint.filed", number, code, at, category=category, received_on=day(), due_on=day(7)
        )

    await apply(
        gateway,
        contracts,
        filed("T20261102AAAAAAAA", START, "food"),
        filed("T20261102AAAAAAAB", START + timedelta(minutes=1), "food"),
        filed("T20261102AAAAAAAC", last_month, "electronics"),
        filed("T20261102AAAAAAAD", long_ago, "food"),  # before the months shown
        submission(
            "submission.overdue",
            "T20261102AAAAAAAC",
            code,
            START + timedelta(minutes=2),
            deadline="acceptance",
            due_on=day(7),
            status="submitted",
        ),
    )
    response = await gateway.client.get("/api/v1/governance/overview", headers=REGULATOR)
    assert response.status_code == 200, response.text
    months = response.json()["complaints_by_month"]
    this, before = (moment.astimezone(CHINA).strftime("%Y-%m") for moment in (START, last_month))
    assert months["months"][-1] == this
    assert before in months["months"]
    assert len(months["months"]) == 12
    assert months["filed_by_category"] == {before: {"electronics": 1}, this: {"food": 2}}
    assert months["overdue"] == {this: 1}
