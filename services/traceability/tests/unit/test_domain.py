"""Trace codes, and a recall's deadlines and steps, with the policy's numbers."""

from __future__ import annotations

import random
from datetime import date

import pytest

from qgov_shared.errors import RuleViolation
from qgov_traceability import domain
from qgov_traceability.domain import RecallState, RecallStatus
from qgov_traceability.policy import RecallRules, load_policy

RULES = RecallRules(progress_report_interval_days=90, summary_due_working_days=15)
OPEN = RecallState(RecallStatus.OPEN, initiated_on=date(2026, 11, 2), deadline=date(2027, 1, 31))


def test_trace_codes_are_thirteen_unambiguous_characters_with_a_check():
    rng = random.Random(7)
    codes = {domain.new_trace_code(rng.randrange) for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == domain.TRACE_CODE_LENGTH
        assert not set(code) & set("01ILO")
        assert domain.is_trace_code(code)


def test_a_mistyped_trace_code_is_recognised_without_a_lookup():
    code = domain.new_trace_code(random.Random(1).randrange)
    alphabet = domain.TRACE_CODE_ALPHABET
    for position in range(len(code)):
        for other in alphabet:
            if other != code[position]:
                typo = code[:position] + other + code[position + 1 :]
                assert not domain.is_trace_code(typo)
    swaps = [code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(len(code) - 1)]
    assert not any(domain.is_trace_code(s) for s in swaps if s != code)
    assert not domain.is_trace_code(code.lower())
    assert not domain.is_trace_code(code[:-1])


def test_progress_reports_fall_due_every_three_months_from_the_start():
    assert domain.next_progress_report_on(OPEN, date(2026, 11, 2), RULES) == date(2027, 1, 31)
    assert domain.next_progress_report_on(OPEN, date(2027, 1, 31), RULES) == date(2027, 5, 1)
    closed = RecallState(RecallStatus.CLOSED, OPEN.initiated_on, OPEN.deadline, date(2027, 1, 8))
    assert domain.next_progress_report_on(closed, date(2027, 1, 9), RULES) is None


def test_the_summary_is_due_fifteen_weekdays_after_closing():
    closed = RecallState(RecallStatus.CLOSED, OPEN.initiated_on, OPEN.deadline, date(2027, 1, 8))
    assert domain.summary_due_on(closed, RULES) == date(2027, 1, 29)  # a Friday, three weeks on
    assert domain.summary_due_on(OPEN, RULES) is None


def test_a_recall_is_overdue_once_its_deadline_passed_while_open():
    assert not domain.is_overdue(OPEN, date(2027, 1, 31))
    assert domain.is_overdue(OPEN, date(2027, 2, 1))
    closed = RecallState(RecallStatus.CLOSED, OPEN.initiated_on, OPEN.deadline, date(2027, 2, 5))
    assert not domain.is_overdue(closed, date(2027, 2, 6))


def test_recall_steps_are_refused_by_rule():
    with pytest.raises(RuleViolation) as past:
        domain.check_deadline(date(2026, 11, 2), today=date(2026, 11, 2))
    assert past.value.field == "deadline"
    with pytest.raises(RuleViolation) as stranger:
        domain.check_progress(OPEN, 5, party_in_scope=False)
    assert stranger.value.field == "party"
    closed = RecallState(RecallStatus.CLOSED, OPEN.initiated_on, OPEN.deadline, date(2027, 1, 8))
    with pytest.raises(RuleViolation) as done:
        domain.check_progress(closed, 5, party_in_scope=True)
    assert done.value.field is None  # a 409: the recall's state, not the input, is at fault
    with pytest.raises(RuleViolation):
        domain.check_closing(closed)


def test_the_shipped_policy_cites_each_legal_rule_and_has_the_legal_numbers():
    policy = load_policy()
    assert (
        policy.recall.progress_report_interval_days,
        policy.recall.summary_due_working_days,
    ) == (
        90,
        15,
    )
    assert set(policy.basis) == {
        "progress_report_interval_days",
        "summary_due_working_days",
        "commitment_bases",
        "commitments",
    }
    assert "农产品质量安全法" in policy.basis["commitments"]
    assert set(policy.commitment_bases) == {
        "entrusted_testing",
        "self_testing",
        "internal_control",
        "self_commitment",
    }
    assert policy.tracing.default_depth <= policy.tracing.max_depth
