"""The rules, with the numbers of the instruments: the trimmed mean of GB/T 19580 scores,
conflicts of interest, the exclusions, the stages and the quotas. No fixtures."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from qgov_brands.domain import RuleViolation
from qgov_brands.domain.conflicts import ApplicantFacts, ReviewerFacts, conflicts
from qgov_brands.domain.eligibility import Applicant, BrandFacts, CreditFact, Standing, refusals
from qgov_brands.domain.quotas import Candidate, propose
from qgov_brands.domain.scoring import result, total
from qgov_brands.domain.stages import Fact, Progress, Status, take_step
from qgov_brands.policy import load_policy
from qgov_brands.programme import Quotas

POLICY = load_policy()
CQA = POLICY.programmes["china_quality_award"]
HONOURED = POLICY.programmes["time_honoured_brand"]
DAY = date(2026, 11, 2)
CODE = "91440200MA0000001F"


# --- scoring ------------------------------------------------------------------------------------


def test_five_or_more_scores_drop_the_highest_and_the_lowest():
    assert result(CQA.review, [900, 500, 700, 800, 600]) == Decimal("700.00")
    assert result(CQA.review, [610, 620, 630, 640, 650, 1000]) == Decimal("635.00")


def test_fewer_than_five_are_averaged_whole_and_fewer_than_three_cannot_decide():
    assert result(CQA.review, [600, 700, 701]) == Decimal("667.00")
    assert result(CQA.review, [600, 700, 700, 701]) == Decimal("675.25")
    with pytest.raises(RuleViolation, match="3 reviewers must score"):
        result(CQA.review, [900, 900])


def test_a_reviewers_total_scores_every_criterion_within_its_weight():
    full = dict(CQA.review.weights)
    assert total(CQA.review, full) == 1000
    with pytest.raises(RuleViolation) as over:
        total(CQA.review, {**full, "leadership": 111})
    assert over.value.field == "scores.leadership"
    with pytest.raises(RuleViolation, match="missing results"):
        total(CQA.review, {k: v for k, v in full.items() if k != "results"})


# --- conflicts ------------------------------------------------------------------------------


def test_conflicts_declared_by_employer_group_and_region_each_say_why():
    applicant = ApplicantFacts(CODE, "440203", "南粮集团")
    far = ReviewerFacts(region_code="110000")
    assert conflicts(CQA.review, far, applicant) == []
    declared = ReviewerFacts("110000", conflicts=frozenset({CODE}))
    assert conflicts(CQA.review, declared, applicant) == [
        f"the reviewer declared a conflict of interest with {CODE}"
    ]
    assert conflicts(CQA.review, ReviewerFacts("110000", "南粮集团"), applicant) == [
        "the reviewer works in the applicant's enterprise group (南粮集团)"
    ]
    # CQA forbids the applicant's province: Guangzhou (4401) is Shaoguan's (4402) province
    assert conflicts(CQA.review, ReviewerFacts("440100"), applicant) == [
        "the reviewer works in the applicant's province (440203)"
    ]
    # the time-honoured review forbids the prefecture only
    assert conflicts(HONOURED.review, ReviewerFacts("440100"), applicant) == []
    assert conflicts(HONOURED.review, ReviewerFacts("440205"), applicant) != []


# --- eligibility ----------------------------------------------------------------------------


def test_a_serious_fact_excludes_for_five_years_to_the_day():
    five_years_ago = date(2021, 11, 2)
    inside = Applicant("440200", facts=(CreditFact("serious_penalty", "serious", five_years_ago),))
    outside = Applicant(
        "440200",
        facts=(CreditFact("serious_penalty", "serious", five_years_ago - timedelta(days=1)),),
    )
    assert refusals(CQA, inside, DAY) == [
        "a serious serious_penalty on 2021-11-02, within 5 years "
        "(重大质量、安全、环境事故或者严重质量违法违规行为)"
    ]
    assert refusals(CQA, outside, DAY) == []


def test_listed_and_d_graded_enterprises_are_refused_with_the_reason():
    listed = Applicant("440200", Standing("D", True, date(2026, 10, 1), "serious_penalty"))
    assert refusals(CQA, listed, DAY) == [
        "the enterprise is on the serious-violation list (严重违法失信名单) since 2026-10-01 "
        "(serious_penalty)",
        "the enterprise's credit grade is D",
    ]
    assert refusals(CQA, Applicant("440200", Standing("C")), DAY) == []


def test_a_time_honoured_brand_is_fifty_years_old_by_the_calendar_year():
    def brand(founded: int) -> Applicant:
        return Applicant("440200", brand=BrandFacts(founded, time_honoured_candidate=True))

    assert refusals(HONOURED, brand(1976), DAY) == []
    assert refusals(HONOURED, brand(1977), DAY) == [
        "the brand was founded in 1977, fewer than 50 years ago"
    ]


# --- stages and quotas -------------------------------------------------------------------------


def test_a_passed_stage_moves_on_and_entering_the_notice_proposes():
    step = take_step(CQA, Progress("application", Status.IN_PROGRESS), True, DAY)
    assert (step.stage, step.fact) == ("eligibility", None)
    committee = take_step(
        POLICY.programmes["quality_frontrunner"],
        Progress("assessment", Status.IN_PROGRESS, score=Decimal(90)),
        True,
        DAY,
    )
    assert (committee.stage, committee.fact, committee.notice_ends_on) == (
        "public_notice",
        Fact.PROPOSED,
        DAY + timedelta(days=10),
    )


@pytest.mark.parametrize(
    ("progress", "message"),
    [
        (Progress("committee", Status.IN_PROGRESS), "proposes for the whole round"),
        (
            Progress("public_notice", Status.IN_PROGRESS, notice_ends_on=DAY),
            "takes objections until 2026-11-02",
        ),
        (
            Progress("public_notice", Status.IN_PROGRESS, DAY - timedelta(1), open_objections=2),
            "2 objection(s) must be resolved",
        ),
        (Progress("on_site_review", Status.IN_PROGRESS), "3 reviewers must score"),
        (
            Progress("decision", Status.IN_PROGRESS, upheld_objections=1),
            "1 upheld objection(s)",
        ),
        (Progress("decision", Status.IN_PROGRESS, refusals=("listed",)), "not eligible: listed"),
        (Progress("decision", Status.GRANTED), "it takes no more steps"),
    ],
    ids=[
        "proposal",
        "notice running",
        "open objections",
        "unscored",
        "upheld",
        "ineligible",
        "done",
    ],
)
def test_a_stage_that_may_not_close_yet_says_why(progress: Progress, message: str):
    with pytest.raises(RuleViolation, match=re.escape(message)):
        take_step(CQA, progress, True, DAY)


def test_the_quotas_rank_by_score_then_by_the_earlier_application():
    candidates = [Candidate(i, Decimal(s)) for i, s in [(1, 700), (2, 900), (3, 700), (4, 650)]]
    proposal = propose(Quotas(awards=1, nominations=2), candidates)
    assert (proposal.awards, proposal.nominations, proposal.outside) == ((2,), (1, 3), (4,))
    cqa = propose(CQA.quotas, [Candidate(i, Decimal(1000 - i)) for i in range(1, 121)])
    assert (len(cqa.awards), len(cqa.nominations), len(cqa.outside)) == (10, 90, 20)
