"""The brands, standards, traceability and inspections services' events in the unified view:
each shows on the profile of the enterprise it is about, counts in the overview of the
regulators of its region, and changes nothing when it is delivered again."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from qgov_shared.envelope import CloudEvent
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, apply, at, day, read_model_gateway
from .source_events import (
    award_granted,
    award_proposed,
    award_rejected,
    award_step,
    certificate_issued,
    followup_closed,
    frontrunners,
    recall_initiated,
    recall_step,
    result_final,
    standard_check,
    standard_flagged,
    standards_fact,
)

SHAOGUAN = credit_code(1, "440203")
NEARBY = credit_code(2, "440204")
GUANGZHOU = credit_code(3, "440103")
REGULATOR = bearer(KEYS.mint("regulator", regions=["440200"]))
OVERVIEW = "/api/v1/governance/overview"


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with read_model_gateway(stack, clock) as svc:
        yield svc


async def _views(gateway: RunningService, code: str) -> tuple[dict, dict]:
    """The enterprise's profile (as the public sees it; no source freshness) and the overview
    of Shaoguan's regulator."""
    profile = await gateway.client.get(f"/api/v1/enterprises/{code}/profile")
    assert profile.status_code == 200, profile.text
    overview = await gateway.client.get(OVERVIEW, headers=REGULATOR)
    assert overview.status_code == 200, overview.text
    shown = {key: value for key, value in profile.json().items() if key != "sources"}
    return shown, overview.json()


async def _redelivered_changes_nothing(
    gateway: RunningService, contracts, code: str, events: list[CloudEvent]
) -> None:
    before = await _views(gateway, code)
    await apply(gateway, contracts, *events)
    await apply(gateway, contracts, *reversed(events))
    assert await _views(gateway, code) == before


async def test_awards_show_with_their_status_and_proposals_count_until_decided(
    gateway: RunningService, contracts
) -> None:
    events = [
        award_proposed(1, SHAOGUAN, at(1)),
        award_proposed(2, SHAOGUAN, at(2)),
        award_proposed(3, NEARBY, at(3), notice_days=-1),
        award_proposed(4, GUANGZHOU, at(4)),
        award_granted(1, SHAOGUAN, at(5)),
        award_step(
            "suspended", 1, SHAOGUAN, at(6), reason="listed", listed_on=day(1), suspended_on=day(1)
        ),
        award_step("reinstated", 1, SHAOGUAN, at(7), reason="delisted", reinstated_on=day(2)),
        award_rejected(2, SHAOGUAN, at(8)),
        award_granted(5, SHAOGUAN, at(9)),
        award_step(
            "revoked", 5, SHAOGUAN, at(10), ground="fraud", revoked_on=day(3), reasons="虚假材料"
        ),
    ]
    await apply(gateway, contracts, *events)
    profile, overview = await _views(gateway, SHAOGUAN)
    assert profile["name"] == "韶关某电器有限公司"
    assert [(a["award_id"], a["status"], a["status_on"]) for a in profile["awards"]] == [
        (5, "revoked", day(3)),
        (1, "granted", day(2)),
    ]
    assert profile["awards"][0]["revocation_ground"] == "fraud"
    assert profile["awards"][1]["granted_on"] == day()
    assert profile["awards"][1]["valid_until"] == day(3 * 365)
    assert overview["awards"] == {
        "proposed_by_region": {"440204": 1},
        "proposed_by_tier": {"award": 1},
        "in_public_notice": 0,
    }
    await _redelivered_changes_nothing(gateway, contracts, SHAOGUAN, events)


async def test_an_awards_later_event_wins_when_both_bear_the_same_time(
    gateway: RunningService, contracts
) -> None:
    granted = award_granted(1, SHAOGUAN, at(1))
    suspended = award_step(
        "suspended", 1, SHAOGUAN, at(1), reason="listed", listed_on=day(), suspended_on=day()
    )
    await apply(gateway, contracts, granted, suspended)
    profile, _ = await _views(gateway, SHAOGUAN)
    assert [(a["award_id"], a["status"]) for a in profile["awards"]] == [(1, "suspended")]


async def test_declarations_show_their_standards_checks_and_frontrunner_title(
    gateway: RunningService, contracts
) -> None:
    events = [
        standards_fact(
            "declared", 1, SHAOGUAN, at(1), standards=["GB 4706.1-2005"], declared_on=day()
        ),
        standards_fact(
            "revised",
            1,
            SHAOGUAN,
            at(2),
            version=2,
            standards=["GB 4706.1-2024", "GB 4706.19-2024"],
            revised_on=day(1),
        ),
        standard_check(1, 1, SHAOGUAN, at(3), "compliant"),
        standard_check(2, 1, SHAOGUAN, at(4), "non_compliant"),
        frontrunners(1, SHAOGUAN, at(5), ranking=1, frontrunner=True),
        standards_fact(
            "declared", 2, SHAOGUAN, at(6), standards=["Q/SG 001-2026"], declared_on=day()
        ),
        frontrunners(2, SHAOGUAN, at(7), ranking=1, frontrunner=True),
        frontrunners(2, SHAOGUAN, at(8), ranking=2, frontrunner=False),
        standards_fact("withdrawn", 2, SHAOGUAN, at(9), reason="停产", withdrawn_on=day(2)),
        standard_flagged(1, 1, SHAOGUAN, at(10)),
        standards_fact("declared", 3, NEARBY, at(11), standards=["GB 1-2020"], declared_on=day()),
        standards_fact(
            "declared", 4, GUANGZHOU, at(12), standards=["GB 1-2020"], declared_on=day()
        ),
    ]
    await apply(gateway, contracts, *events)
    profile, overview = await _views(gateway, SHAOGUAN)
    standing, withdrawn = profile["standards"]
    assert (standing["declaration_id"], standing["version"], standing["status"]) == (
        1,
        2,
        "declared",
    )
    assert standing["standards"] == ["GB 4706.1-2024", "GB 4706.19-2024"]
    assert (standing["declared_on"], standing["revised_on"]) == (day(), day(1))
    assert [(c["check_id"], c["outcome"]) for c in standing["checks"]] == [
        (2, "non_compliant"),
        (1, "compliant"),
    ]
    assert standing["checks"][0]["failing_indicators"] == ["泄漏电流"]
    assert standing["frontrunner"]["rank"] == 1
    assert standing["frontrunner"]["score"] == "91.5000"
    assert (withdrawn["status"], withdrawn["withdrawal_reason"]) == ("withdrawn", "停产")
    assert withdrawn["frontrunner"] is None  # no longer one in the newest ranking
    assert overview["standards"] == {
        "declarations_by_region": {"440203": 1, "440204": 1},
        "flags_by_region": {"440203": 1},
        "flags_by_reason": {"standard_withdrawn": 1},
    }
    await _redelivered_changes_nothing(gateway, contracts, SHAOGUAN, events)


async def test_recalls_show_how_far_they_got_and_certificates_the_newest_issued(
    gateway: RunningService, contracts
) -> None:
    events = [
        recall_initiated(1, SHAOGUAN, at(1)),
        recall_step(
            "progressed",
            1,
            SHAOGUAN,
            at(2),
            party="某经销商",
            units_recovered=30,
            units_recovered_total=30,
            progressed_on=day(1),
        ),
        recall_step(
            "progressed",
            1,
            SHAOGUAN,
            at(3),
            party="某商场",
            units_recovered=50,
            units_recovered_total=80,
            progressed_on=day(2),
        ),
        recall_initiated(2, SHAOGUAN, at(4), voluntary=False),
        recall_step(
            "closed",
            2,
            SHAOGUAN,
            at(5),
            voluntary=False,
            closed_on=day(5),
            units_recovered_total=120,
            summary="全部召回",
        ),
        recall_initiated(3, NEARBY, at(6), voluntary=False),
        recall_initiated(4, GUANGZHOU, at(7)),
        certificate_issued(1, SHAOGUAN, at(8)),
        certificate_issued(2, SHAOGUAN, at(9)),
        certificate_issued(3, GUANGZHOU, at(10)),
    ]
    await apply(gateway, contracts, *events)
    profile, overview = await _views(gateway, SHAOGUAN)
    open_one, closed = profile["recalls"]
    assert (open_one["recall_id"], open_one["status"], open_one["units_recovered_total"]) == (
        1,
        "open",
        80,
    )
    assert (open_one["progressed_on"], open_one["affected_items"]) == (day(2), 120)
    assert open_one["products"] == ["https://id.gs1.org/01/06901234567892/10/L1"]
    assert (closed["recall_id"], closed["status"], closed["summary"]) == (2, "closed", "全部召回")
    assert closed["defect"] == "电源线绝缘不良"
    assert [c["certificate_id"] for c in profile["certificates"]] == [2, 1]
    assert profile["certificates"][0]["lot"].endswith("/10/L2")
    assert overview["recalls"] == {
        "open": 2,
        "voluntary": 1,
        "ordered": 1,
        "open_by_region": {"440203": 1, "440204": 1},
    }
    assert overview["certificates"] == {"issued": 2, "issued_by_region": {"440203": 2}}
    await _redelivered_changes_nothing(gateway, contracts, SHAOGUAN, events)


async def test_final_inspection_results_show_with_their_follow_up_and_count_by_outcome(
    gateway: RunningService, contracts
) -> None:
    events = [
        result_final("I-1", SHAOGUAN, at(1), "failed"),
        result_final("I-2", SHAOGUAN, at(2), "failed"),
        result_final("I-2", SHAOGUAN, at(3), "passed", retested=True),
        followup_closed("I-1", SHAOGUAN, at(4)),
        result_final("I-3", NEARBY, at(5), "standard_not_executed"),
        result_final("I-4", GUANGZHOU, at(6), "failed"),
    ]
    await apply(gateway, contracts, *events)
    profile, overview = await _views(gateway, SHAOGUAN)
    shown = {r["inspection_id"]: r for r in profile["inspections"]}
    assert (shown["I-1"]["outcome"], shown["I-1"]["followup"]) == (
        "failed",
        {"outcome": "rectified", "closed_on": day(21)},
    )
    assert shown["I-1"]["failing_indicators"][0]["measured"] == "0.9"
    assert (shown["I-2"]["outcome"], shown["I-2"]["retested"]) == ("passed", True)
    assert shown["I-2"]["followup"] is None
    assert overview["inspections"] == {
        "by_outcome": {"failed": 1, "passed": 1, "standard_not_executed": 1},
        "by_region": {
            "440203": {"failed": 1, "passed": 1},
            "440204": {"standard_not_executed": 1},
        },
    }
    await _redelivered_changes_nothing(gateway, contracts, SHAOGUAN, events)
