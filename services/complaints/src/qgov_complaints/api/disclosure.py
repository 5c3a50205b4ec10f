"""消费投诉信息公示: the public disclosure of complaints against an enterprise.

Counts only, aggregated in the database: who complained and what they wrote never leave the
service. Reports (举报) are confidential and are not counted. An enterprise without complaints
gets zeros, not a 404: that it has none is public information too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from qgov_complaints import queries
from qgov_complaints.dependencies import ContextDep
from qgov_complaints.domain import MEDIATION_ENDED, Status
from qgov_shared.app import SessionDep
from qgov_shared.http.problems import ProblemException
from qgov_shared.uscc import CreditCodeStr

DEFAULT_YEARS = 1
MAX_YEARS = 3
COMPLAINT_STATUSES = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.MEDIATING,
    Status.MEDIATED,
    Status.MEDIATION_FAILED,
    Status.TERMINATED,
    Status.CLOSED,
)

router = APIRouter(prefix="/api/v1/disclosure", tags=["disclosure"])


class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date


class EnterpriseComplaints(BaseModel):
    credit_code: str
    period: Period = Field(description="complaints received from `from` to `to`, inclusive")
    complaints: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    closed: int = Field(description="closed after mediation ended and the parties were told")
    mediated: int = Field(description="closed with a mediation agreement")
    mediation_success_rate: float | None = Field(
        description="mediated / closed (agreements, failures and terminations); "
        "null when none is closed"
    )


@router.get("/enterprises/{credit_code}", response_model=EnterpriseComplaints)
async def enterprise_complaints(
    credit_code: Annotated[CreditCodeStr, Path(description="统一社会信用代码")],
    session: SessionDep,
    ctx: ContextDep,
    from_: Annotated[date | None, Query(alias="from", description="default: 12 months ago")] = None,
    to: Annotated[date | None, Query(description="default: today")] = None,
) -> EnterpriseComplaints:
    """How many complaints the enterprise received in the period (at most 3 years), by status
    and category, and how its closed complaints ended."""
    to = to or ctx.today
    from_ = from_ or _years_before(to, DEFAULT_YEARS) + timedelta(days=1)
    _check_period(from_, to)
    groups = await queries.complaint_counts(session, credit_code, from_, to)
    return _disclosure(credit_code, Period(from_=from_, to=to), groups, ctx.policy.categories)


def _disclosure(
    credit_code: str, period: Period, groups, categories: dict[str, str]
) -> EnterpriseComplaints:
    by_status = dict.fromkeys(COMPLAINT_STATUSES, 0)
    by_category = dict.fromkeys(categories, 0)
    closed_by_outcome = dict.fromkeys(MEDIATION_ENDED, 0)
    for status, category, outcome, count in groups:
        by_status[status] = by_status.get(status, 0) + count
        by_category[category] = by_category.get(category, 0) + count
        if status == Status.CLOSED and outcome in closed_by_outcome:
            closed_by_outcome[outcome] += count
    mediated = closed_by_outcome[Status.MEDIATED]
    ended = sum(closed_by_outcome.values())
    return EnterpriseComplaints(
        credit_code=credit_code,
        period=period,
        complaints=sum(by_status.values()),
        by_status={str(status): count for status, count in by_status.items()},
        by_category=by_category,
        closed=by_status[Status.CLOSED],
        mediated=mediated,
        mediation_success_rate=round(mediated / ended, 4) if ended else None,
    )


def _check_period(from_: date, to: date) -> None:
    if from_ > to:
        raise _period_problem("is after `to`")
    if from_ < _years_before(to, MAX_YEARS):
        raise _period_problem(f"a period spans at most {MAX_YEARS} years")


def _period_problem(detail: str) -> ProblemException:
    return ProblemException(
        422,
        f"The period is invalid: `from` {detail}.",
        errors=[{"parameter": "from", "in": "query", "detail": detail}],
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: no such day that year, so the day before
        return date(day.year - years, 2, 28)
