"""The rules after the draw, with the legal numbers: two inspectors take a sample (the
policy's `min_inspectors_per_check`), the enterprise may object for 15 days from notification
(`objection_days`, 产品质量法 第十五条), a pass stands at once and a failure after the period,
the follow-up closes on the re-inspection (`follow_up`), and results are public within 20
working days (`publication_working_days`)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qgov_inspections.domain import (
    FirstResult,
    FollowUpOutcome,
    Outcome,
    check_result,
    check_sampling_team,
    follow_up_outcome,
    objection_due,
    publication_due,
    rectification_due,
)
from qgov_inspections.policy import load_policy
from qgov_shared.errors import RuleViolation

POLICY = load_policy()
NOTIFIED = date(2026, 11, 2)  # a Monday


def test_the_legal_numbers():
    limits = POLICY.limits
    assert (limits.min_inspectors_per_check, limits.objection_days) == (2, 15)
    assert limits.publication_working_days == 20
    assert POLICY.default_grade == "A"


def test_a_sample_is_taken_by_at_least_two_of_the_drawn_inspectors():
    check_sampling_team([1, 2, 3], [1, 3], 2)
    with pytest.raises(RuleViolation, match="at least 2") as refused:
        check_sampling_team([1, 2, 3], [1, 1], 2)
    assert refused.value.field == "inspectors"
    with pytest.raises(RuleViolation, match="not drawn"):
        check_sampling_team([1, 2], [1, 2, 9], 2)


def test_the_objection_period_runs_fifteen_days_from_the_day_after_notification():
    due = objection_due(NOTIFIED, POLICY.limits.objection_days)
    assert due == date(2026, 11, 17)
    failed = FirstResult(Outcome.FAILED, due)
    failed.check_objection(due)
    assert not failed.final_on(due)
    assert failed.final_on(due + timedelta(days=1))
    with pytest.raises(RuleViolation, match="ended"):
        failed.check_objection(due + timedelta(days=1))


def test_a_pass_stands_at_once_and_cannot_be_objected_to():
    passed = FirstResult(Outcome.PASSED, objection_due(NOTIFIED, 15))
    assert passed.final_at_once()
    assert passed.final_on(NOTIFIED)
    with pytest.raises(RuleViolation, match="nothing to object to"):
        passed.check_objection(NOTIFIED)


def test_a_result_names_what_failed_and_a_pass_names_nothing():
    check_result(Outcome.FAILED, [], ["标签不合格"])
    check_result(Outcome.STANDARD_NOT_EXECUTED, [{"name": "铅"}], [])
    with pytest.raises(RuleViolation) as bare:
        check_result(Outcome.FAILED, [], [])
    assert bare.value.field == "findings"
    with pytest.raises(RuleViolation) as passed:
        check_result(Outcome.PASSED, [{"name": "铅"}], [])
    assert passed.value.field == "failing_indicators"


def test_a_follow_up_closes_on_its_re_inspection():
    assert rectification_due(NOTIFIED, 30) == date(2026, 12, 2)
    assert follow_up_outcome(Outcome.PASSED) is FollowUpOutcome.RECTIFIED
    assert follow_up_outcome(Outcome.FAILED) is FollowUpOutcome.REFERRED
    with pytest.raises(RuleViolation, match="after its re-inspection"):
        follow_up_outcome(None)


@pytest.mark.parametrize(
    ("completed", "due"),
    [
        (date(2026, 11, 2), date(2026, 11, 30)),  # Monday → four weeks on
        (date(2026, 11, 6), date(2026, 12, 4)),  # Friday
        (date(2026, 11, 7), date(2026, 12, 4)),  # a Saturday counts from Monday
    ],
)
def test_results_are_public_within_twenty_working_days(completed: date, due: date):
    assert publication_due(completed, POLICY.limits.publication_working_days) == due
