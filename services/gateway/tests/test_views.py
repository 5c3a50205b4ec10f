"""The unified view read from the gateway's read model: profiles and the regulators' overview,
with events applied as the gateway's consumer applies them, on the real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import RunningService, TestStack
from qgov_shared.testing.tokens import bearer

from .conftest import (
    KEYS,
    apply,
    at,
    day,
    grade_changed,
    listed,
    read_model_gateway,
    reason,
    submission,
)

SHAOGUAN = credit_code(1, "440203")
GUANGZHOU = credit_code(2, "440103")
REGULATOR = bearer(KEYS.mint("regulator", regions=["440200"]))
OTHER_REGULATOR = bearer(KEYS.mint("regulator", regions=["440100"]))
ITSELF = bearer(KEYS.mint("enterprise", credit_code=SHAOGUAN))
OTHER_ENTERPRISE = bearer(KEYS.mint("enterprise", credit_code=GUANGZHOU))
ADMIN = bearer(KEYS.mint("admin"))
OVERVIEW = "/api/v1/governance/overview"


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with read_model_gateway(stack, clock) as svc:
        yield svc


async def profile_of(gateway: RunningService, code: str, headers: dict | None = None) -> dict:
    response = await gateway.client.get(f"/api/v1/enterprises/{code}/profile", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_enterprise_nobody_has_mentioned_is_not_found(gateway: RunningService) -> None:
    problem(await gateway.client.get(f"/api/v1/enterprises/{SHAOGUAN}/profile"), 404)
    invalid = await gateway.client.get("/api/v1/enterprises/91440203MA00000001/profile")
    assert invalid.status_code == 422
    assert "credit_code" in invalid.text


async def test_onboarding_opens_the_profile_under_the_registered_name(
    gateway: RunningService, contracts
) -> None:
    onboarded = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": SHAOGUAN, "name": "韶关家电制造有限公司"}
    )
    assert onboarded.status_code == 201, onboarded.text
    fresh = await profile_of(gateway, SHAOGUAN)
    assert (fresh["name"], fresh["region_code"]) == ("韶关家电制造有限公司", "440203")
    assert fresh["credit"] == {
        "grade": None,
        "score": None,
        "listed": False,
        "listing": None,
        "reasons": [],
        "rule_version": None,
        "graded_at": None,
        "history": [],
    }
    assert (fresh["awards"], fresh["standards"], fresh["recalls"]) == ([], [], [])

    # A complainant's spelling of the name never replaces the registered one.
    await apply(
        gateway,
        contracts,
        submission(
            "complaint.filed",
            "T20261102ABCDEFGH",
            SHAOGUAN,
            at(1),
            received_on=day(),
            due_on=day(7),
        ),
    )
    assert (await profile_of(gateway, SHAOGUAN))["name"] == "韶关家电制造有限公司"


async def test_a_complaint_names_an_enterprise_never_onboarded(
    gateway: RunningService, contracts
) -> None:
    filed = submission(
        "complaint.filed",
        "T20261102ABCDEFGH",
        SHAOGUAN,
        at(1),
        received_on=day(),
        due_on=day(7),
    )
    await apply(gateway, contracts, filed)
    seen = await profile_of(gateway, SHAOGUAN)
    assert (seen["name"], seen["as_of"]) == (
        "韶关某电器有限公司",
        at(1).isoformat().replace("+00:00", "Z"),
    )
    assert seen["complaints"] == {
        "complaints_received": 1,
        "complaints_mediated": 0,
        "complaints_closed": 0,
        "report_cases_opened": 0,
        "complaints_open": None,
        "complaints_rejected": None,
        "reports_received": None,
        "reports_not_opened": None,
        "overdue": None,
    }
    [source] = seen["sources"]
    assert source["source"] == "/qgov/complaints"


async def test_steps_arriving_out_of_order_leave_the_latest_standing(
    gateway: RunningService, contracts
) -> None:
    number = "T20261102ABCDEFGH"
    filed = submission("complaint.filed", number, SHAOGUAN, at(1), received_on=day(), due_on=day(7))
    accepted = submission(
        "complaint.accepted",
        number,
        SHAOGUAN,
        at(2),
        accepted_on=day(1),
        mediation_due_on=day(67),
    )
    overdue = submission(
        "submission.overdue",
        number,
        SHAOGUAN,
        at(3),
        deadline="mediation",
        due_on=day(59),
        status="mediating",
    )
    await apply(gateway, contracts, overdue, accepted, filed)  # newest first
    stats = (await profile_of(gateway, SHAOGUAN, REGULATOR))["complaints"]
    assert (stats["complaints_open"], stats["overdue"]) == (1, 1)

    closed = submission(
        "complaint.closed", number, SHAOGUAN, at(4), outcome="mediated", closed_on=day(63)
    )
    await apply(gateway, contracts, closed, accepted)  # a duplicate older step changes nothing
    stats = (await profile_of(gateway, SHAOGUAN, REGULATOR))["complaints"]
    assert (stats["complaints_open"], stats["overdue"], stats["complaints_mediated"]) == (0, 0, 1)


async def test_the_public_sees_public_records_and_counts_only(
    gateway: RunningService, contracts
) -> None:
    reasons = [reason(1, "penalty", -15), reason(2, "mediation_failed", -1, public=False)]
    await apply(
        gateway,
        contracts,
        grade_changed(SHAOGUAN, ("A", 100), ("B", 84), at(1), reasons),
        submission(
            "report.filed",
            "J20261102ABCDEFGH",
            SHAOGUAN,
            at(2),
            kind="report",
            received_on=day(),
            due_on=day(14),
        ),
    )
    public = await profile_of(gateway, SHAOGUAN)
    assert [r["record_id"] for r in public["credit"]["reasons"]] == [1]
    assert public["complaints"]["reports_received"] is None
    for viewer in (REGULATOR, ITSELF, ADMIN):
        full = await profile_of(gateway, SHAOGUAN, viewer)
        assert [r["record_id"] for r in full["credit"]["reasons"]] == [1, 2]
        assert full["complaints"]["reports_received"] == 1
    for outsider in (OTHER_REGULATOR, OTHER_ENTERPRISE):
        assert (await profile_of(gateway, SHAOGUAN, outsider)) == public


async def test_the_profile_carries_grade_history_and_listing(
    gateway: RunningService, contracts
) -> None:
    await apply(
        gateway,
        contracts,
        grade_changed(SHAOGUAN, ("A", 100), ("B", 85), at(1)),
        grade_changed(SHAOGUAN, ("B", 85), ("D", 40), at(2)),
        listed(SHAOGUAN, at(2)),
    )
    credit = (await profile_of(gateway, SHAOGUAN))["credit"]
    assert (credit["grade"], credit["score"], credit["listed"]) == ("D", 40, True)
    assert credit["listing"]["joint_punishment"] == ["barred_from_quality_awards"]
    assert [(h["previous_grade"], h["grade"]) for h in credit["history"]] == [
        ("B", "D"),
        ("A", "B"),
    ]


async def test_the_overview_counts_a_regulators_regions(gateway: RunningService, contracts) -> None:
    nearby = credit_code(3, "440204")
    await apply(
        gateway,
        contracts,
        grade_changed(SHAOGUAN, ("A", 100), ("C", 60), at(1)),
        grade_changed(nearby, ("A", 100), ("B", 90), at(2)),
        grade_changed(GUANGZHOU, ("A", 100), ("D", 10), at(3)),
        submission(
            "complaint.filed",
            "T20261102ABCDEFGH",
            SHAOGUAN,
            at(4),
            category="food",
            received_on=day(),
            due_on=day(7),
        ),
        submission(
            "submission.overdue",
            "T20261102ABCDEFGH",
            SHAOGUAN,
            at(5),
            deadline="acceptance",
            due_on=day(7),
            status="submitted",
        ),
    )
    response = await gateway.client.get(OVERVIEW, headers=REGULATOR)
    assert response.status_code == 200, response.text
    overview = response.json()
    assert overview["regions"] == ["440200"]
    assert overview["enterprises"]["by_region"] == {"440203": 1, "440204": 1}
    assert overview["enterprises"]["by_grade"] == {"B": 1, "C": 1}
    assert overview["complaints"] == {
        "by_category": {"food": 1},
        "by_status": {"submitted": 1},
        "overdue": 1,
    }
    assert [(f["credit_code"], f["fall"]) for f in overview["largest_falls"]] == [
        (SHAOGUAN, 40),
        (nearby, 10),
    ]
    national = (await gateway.client.get(OVERVIEW, headers=ADMIN)).json()
    assert national["largest_falls"][0]["credit_code"] == GUANGZHOU


async def test_the_overview_is_for_regulators_of_the_region(gateway: RunningService) -> None:
    path = OVERVIEW
    assert (await gateway.client.get(path)).status_code == 401
    assert (await gateway.client.get(path, headers=ITSELF)).status_code == 403
    outside = await gateway.client.get(path, params={"region": "440100"}, headers=REGULATOR)
    assert outside.status_code == 403
    assert outside.json()["errors"][0]["parameter"] == "region"
    inside = await gateway.client.get(path, params={"region": "440203"}, headers=REGULATOR)
    assert inside.json()["regions"] == ["440203"]


async def test_the_largest_falls_are_those_of_the_30_days_before_now(
    gateway: RunningService, clock: TestClock, contracts
) -> None:
    await apply(gateway, contracts, grade_changed(SHAOGUAN, ("A", 100), ("C", 60), at(1)))

    async def falls_as_of(now) -> list[str]:
        clock.set(now)
        overview = (await gateway.client.get(OVERVIEW, headers=REGULATOR)).json()
        assert overview["as_of"] == now.isoformat().replace("+00:00", "Z")
        return [fall["credit_code"] for fall in overview["largest_falls"]]

    assert await falls_as_of(at(1) + timedelta(days=30)) == [SHAOGUAN]
    assert await falls_as_of(at(2) + timedelta(days=30)) == []
