"""The regulators' due list, the overdue filter and the overdue scanner apply the domain's rule
itself: on every day, for due dates on working days, weekends, holidays and a make-up workday,
they select exactly the submissions that `domain.is_overdue` and `domain.is_nearly_due` name."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from qgov_complaints.domain import Deadline, Kind, State, Status, is_nearly_due, is_overdue
from qgov_complaints.models import Submission
from qgov_complaints.policy import load_policy

from .conftest import Desk, Filed

POLICY = load_policy()
# Mon 21 September to Wed 14 October 2026: weekends, 中秋 (Fri 25 Sep), 国庆 (1 to 7 Oct) and
# the make-up workdays Sun 20 Sep and Sat 10 Oct.
DUE_DATES = [date(2026, 9, 21) + timedelta(days=n) for n in range(24)]
TODAYS = [
    date(2026, 9, 23),  # Wed: two working days ahead is Fri 25, a holiday, so Mon 28
    date(2026, 9, 25),  # a holiday
    date(2026, 9, 28),
    date(2026, 9, 30),  # the eve of a week off
    date(2026, 10, 8),
    date(2026, 10, 10),  # Saturday, a make-up workday
    date(2026, 10, 11),  # Sunday
]


async def due_on(desk: Desk, filed: Filed, day: date) -> None:
    """Setup: the complaint's acceptance deadline stored as `day`. A deadline computed on the
    provisional calendar can turn out to fall on a day off once the year's schedule is out."""
    moved = (
        update(Submission)
        .where(Submission.id == filed.id)
        .values(due={Deadline.ACCEPTANCE.value: day.isoformat()}, running_due_on=day)
    )
    async with desk.svc.runtime.session_factory() as session:
        await session.execute(moved)
        await session.commit()


def awaiting_acceptance(due: date) -> State:
    return State(
        kind=Kind.COMPLAINT,
        status=Status.SUBMITTED,
        received_on=date(2026, 9, 1),
        due={Deadline.ACCEPTANCE: due},
    )


async def test_the_lists_and_the_scanner_select_what_the_domain_rule_names(desk: Desk):
    desk.today(date(2026, 9, 1))
    due_by_id = {}
    for day in DUE_DATES:
        filed = await desk.file_complaint()
        await due_on(desk, filed, day)
        due_by_id[filed.id] = day

    announced = 0
    for today in TODAYS:
        desk.today(today)
        states = {number: awaiting_acceptance(due) for number, due in due_by_id.items()}
        overdue = {number for number, state in states.items() if is_overdue(state, today)}
        nearly_due = {n for n, state in states.items() if is_nearly_due(state, today, POLICY)}

        due_list = await desk.listed("/due")
        assert {item["id"] for item in due_list} == overdue | nearly_due, today
        assert {item["id"] for item in due_list if item["overdue"]} == overdue, today
        assert {item["id"] for item in await desk.listed(overdue="true")} == overdue, today
        assert {item["id"] for item in await desk.listed(overdue="false")} == (
            set(due_by_id) - overdue
        ), today
        announced += await desk.announce_overdue()
        assert announced == len(overdue), today
