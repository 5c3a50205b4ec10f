"""The cut-off days the queries compare due dates with are the rule as the policy words it: a
deadline is nearly due while at most `nearly_due_working_days` working days are left until it,
and overdue once its due day has gone by."""

from datetime import date, timedelta

import pytest

from qgov_complaints.domain import (
    Deadline,
    Kind,
    State,
    Status,
    is_nearly_due,
    is_overdue,
    nearly_due_before,
    overdue_before,
)
from qgov_complaints.policy import load_policy

POLICY = load_policy()
# The whole of 2026, and the turn into provisional 2027: every weekday, weekend, holiday and
# make-up workday as a due date, seen from each day of the three weeks before it.
DAYS = [date(2026, 1, 1) + timedelta(days=n) for n in range(380)]


def awaiting_acceptance(due: date) -> State:
    return State(
        Kind.COMPLAINT, Status.SUBMITTED, date(2025, 12, 1), due={Deadline.ACCEPTANCE: due}
    )


@pytest.mark.parametrize("due", DAYS, ids=str)
def test_the_cut_offs_mean_working_days_left(due: date) -> None:
    state = awaiting_acceptance(due)
    for today in (due - timedelta(days=back) for back in range(-2, 21)):
        left = POLICY.calendar.working_days_between(today, due)
        passed = due < today
        assert is_overdue(state, today) is passed
        assert is_nearly_due(state, today, POLICY) is (
            not passed and left <= POLICY.limits.nearly_due_working_days
        )


def test_the_due_day_itself_is_in_time() -> None:
    assert overdue_before(date(2026, 3, 11)) == date(2026, 3, 11)


def test_the_warning_period_ends_before_the_third_working_day() -> None:
    # Wed 30 September 2026: Thu 1 to Wed 7 October are off, so Thu 8 and Fri 9 are the two
    # working days of warning; Sat 10 October (a make-up workday) is the first beyond them.
    assert nearly_due_before(date(2026, 9, 30), POLICY) == date(2026, 10, 10)
