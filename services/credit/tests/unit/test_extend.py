"""A stored assessment that still holds, extended by one more record, is exactly what assessing
all the records again gives: the intake relies on it to take a record without re-reading the
file."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from qgov_credit.domain import (
    Record,
    Standing,
    assess,
    extend,
    grade_of,
    is_current,
    score_for,
)
from qgov_credit.policy import load_policy

POLICY = load_policy()
ASSESSED_ON = date(2026, 3, 2)
KINDS = sorted((kind, severity) for kind, rule in POLICY.kinds.items() for severity in rule.points)
# Records from ~5 years before the assessment (older than any kind counts) to a month after.
RECORD = st.tuples(st.sampled_from(KINDS), st.integers(-1900, 30))


def records_from(drawn: list[tuple[tuple[str, str], int]], start: int = 1) -> list[Record]:
    return [
        Record(n, kind, severity, ASSESSED_ON + timedelta(days=offset))
        for n, ((kind, severity), offset) in enumerate(drawn, start=start)
    ]


@given(st.lists(RECORD, max_size=40), RECORD, st.integers(0, 1900), st.booleans())
def test_extending_an_assessment_that_holds_is_assessing_every_record_again(
    drawn, new, days_later, listed
):
    records = records_from(drawn)
    before = assess(records, ASSESSED_ON, POLICY)
    # any day up to the one before a record behind it starts or stops counting
    holds_for = (before.next_change_on - ASSESSED_ON).days - 1 if before.next_change_on else 1900
    today = ASSESSED_ON + timedelta(days=min(days_later, holds_for))
    assert is_current(ASSESSED_ON, before.next_change_on, POLICY.version, today, POLICY)
    (kind, severity), offset = new
    record = Record(len(records) + 1, kind, severity, today + timedelta(days=offset))

    standing, reason = extend(before.standing, record, today, POLICY)

    after = assess([*records, record], today, POLICY, listed=listed)
    assert standing == after.standing
    assert score_for(standing.points, POLICY) == after.score
    assert grade_of(after.score, POLICY, listed=listed) == after.grade
    reasons = sorted(
        [*before.reasons, *([reason] if reason else [])],
        key=lambda r: (r.effective_on, r.record_id),
    )
    assert tuple(reasons) == after.reasons


def test_a_record_that_counts_today_adds_its_points_and_its_expiry():
    standing = Standing(points=-15, next_change_on=date(2027, 1, 1))
    complaint = Record(9, "substantiated_complaint", "minor", ASSESSED_ON)

    extended, reason = extend(standing, complaint, ASSESSED_ON, POLICY)

    assert extended == Standing(-17, date(2027, 1, 1))  # counts until 2027-03-02, later
    assert (reason.record_id, reason.points, reason.counts_until) == (9, -2, date(2027, 3, 2))


def test_a_future_record_adds_only_the_day_it_starts_and_an_expired_one_nothing():
    standing = Standing(points=0, next_change_on=None)
    later = Record(1, "penalty", "general", ASSESSED_ON + timedelta(days=3))
    gone = Record(2, "penalty", "general", ASSESSED_ON - timedelta(days=1095))

    assert extend(standing, later, ASSESSED_ON, POLICY) == (
        Standing(0, ASSESSED_ON + timedelta(days=3)),
        None,
    )
    assert extend(standing, gone, ASSESSED_ON, POLICY) == (standing, None)


def test_an_assessment_holds_until_a_record_behind_it_changes_and_under_its_policy_only():
    changes_on = ASSESSED_ON + timedelta(days=10)

    def holds(today: date, version: str = POLICY.version, next_change_on=changes_on) -> bool:
        return is_current(ASSESSED_ON, next_change_on, version, today, POLICY)

    assert holds(ASSESSED_ON)
    assert holds(changes_on - timedelta(days=1))
    assert not holds(changes_on)  # a record starts or stops counting that day
    assert holds(ASSESSED_ON + timedelta(days=5000), next_change_on=None)
    assert not holds(ASSESSED_ON, version="2025.1")  # graded under an earlier policy
    assert not holds(ASSESSED_ON - timedelta(days=1))  # made after "today": a clock set back
