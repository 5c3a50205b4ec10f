"""The overdue scanner's use case: announce each legal deadline that passed without its step."""

from __future__ import annotations

from sqlalchemy import func, select

from qgov_complaints import domain
from qgov_complaints.events import SubmissionEvent, SubmissionOverdue
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.recording import announce
from qgov_complaints.models import Submission
from qgov_shared.uow import UnitOfWork


async def announce_overdue(uow: UnitOfWork, ctx: Context, limit: int = 500) -> int:
    """Publish `submission.overdue` once for each deadline that has passed; how many.

    A deadline is its kind and its date (an extended decision deadline is a new one), and the
    query leaves out those already announced, so old overdue cases never fill the batch."""
    marker = func.concat(
        Submission.running_deadline, "@", func.to_char(Submission.running_due_on, "YYYY-MM-DD")
    )
    query = (
        select(Submission)
        .where(
            Submission.running_due_on < domain.overdue_before(ctx.today),
            ~Submission.overdue_notified.contains(func.jsonb_build_array(marker)),
        )
        .order_by(Submission.running_due_on, Submission.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    announced = 0
    for row in await uow.session.scalars(query):
        row.overdue_notified = [*row.overdue_notified, _marker(row)]
        overdue = SubmissionOverdue(
            **SubmissionEvent.case_of(row),
            deadline=row.running_deadline,
            due_on=row.running_due_on,
            status=row.status,
        )
        announce(overdue, uow, ctx)
        announced += 1
    return announced


def _marker(row: Submission) -> str:
    """How an announced deadline is remembered: its kind and date, as the query spells it."""
    return f"{row.running_deadline}@{row.running_due_on.isoformat()}"
