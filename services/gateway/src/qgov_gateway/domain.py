"""The read model's rules, without I/O: what complaint statistics each caller sees, and who
sees an enterprise's full profile."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qgov_gateway.projections.complaints import SubmissionKind, SubmissionStatus
from qgov_shared.auth import Principal, Role

OPEN_COMPLAINT = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
CLOSED_COMPLAINT = (
    SubmissionStatus.MEDIATED,
    SubmissionStatus.MEDIATION_FAILED,
    SubmissionStatus.TERMINATED,
)
# Statuses with no legal deadline left to miss.
FINISHED = frozenset(
    {
        SubmissionStatus.REJECTED,
        *CLOSED_COMPLAINT,
        SubmissionStatus.CASE_OPENED,
        SubmissionStatus.NOT_OPENED,
    }
)


@dataclass(frozen=True)
class SubmissionCount:
    kind: str
    status: str
    overdue: bool
    count: int


def complaint_statistics(counts: Iterable[SubmissionCount], *, full: bool) -> dict[str, Any]:
    """What the public may know of an enterprise's 12315 record: complaints received and how
    they ended, and reports that led to a case. The regulator and the enterprise itself also
    see what is still open, what is overdue, and reports that led nowhere."""
    counts = list(counts)
    complaints = [c for c in counts if c.kind == SubmissionKind.COMPLAINT]
    reports = [c for c in counts if c.kind == SubmissionKind.REPORT]

    def total(rows: list[SubmissionCount], *statuses: str) -> int:
        return sum(r.count for r in rows if not statuses or r.status in statuses)

    public = {
        "complaints_received": total(complaints),
        "complaints_mediated": total(complaints, SubmissionStatus.MEDIATED),
        "complaints_closed": total(complaints, *CLOSED_COMPLAINT),
        "report_cases_opened": total(reports, SubmissionStatus.CASE_OPENED),
    }
    if not full:
        return public
    return public | {
        "complaints_open": total(complaints, *OPEN_COMPLAINT),
        "complaints_rejected": total(complaints, SubmissionStatus.REJECTED),
        "reports_received": total(reports),
        "reports_not_opened": total(reports, SubmissionStatus.NOT_OPENED),
        "overdue": sum(c.count for c in counts if c.overdue and c.status not in FINISHED),
    }


def may_see_full_profile(principal: Principal, credit_code: str) -> bool:
    """Whether `principal` could see the full profile of `credit_code`, before its region is
    known: a regulator might, an anonymous caller or another enterprise never."""
    return principal.role is Role.REGULATOR or principal.can_act_for_enterprise(credit_code)


def sees_full_profile(principal: Principal, credit_code: str, region_code: str) -> bool:
    """The enterprise itself, a regulator of its region and an admin see everything; anyone
    else sees what is public."""
    if principal.role is Role.REGULATOR:
        return principal.covers_region(region_code)
    return principal.can_act_for_enterprise(credit_code)


def shown_reasons(reasons: list[dict[str, Any]], *, full: bool) -> list[dict[str, Any]]:
    return reasons if full else [reason for reason in reasons if reason.get("public")]
