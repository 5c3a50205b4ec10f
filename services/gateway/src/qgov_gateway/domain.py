"""The read model's rules, without I/O: where a submission stands after each complaints event,
what complaint statistics each caller sees, and who sees an enterprise's full profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from qgov_shared.auth import Principal, Role

# Where a 12315 submission stands after each complaints event (an overdue notice changes
# nothing here: it only flags the submission).
STATUS_AFTER: Mapping[str, str] = {
    "qgov.complaints.complaint.filed.v1": "submitted",
    "qgov.complaints.report.filed.v1": "submitted",
    "qgov.complaints.complaint.accepted.v1": "accepted",
    "qgov.complaints.complaint.rejected.v1": "rejected",
    "qgov.complaints.report.case_opened.v1": "case_opened",
    "qgov.complaints.report.not_opened.v1": "not_opened",
}
OVERDUE_EVENT = "qgov.complaints.submission.overdue.v1"
CLOSED_EVENT = "qgov.complaints.complaint.closed.v1"

# Statuses with no legal deadline left to miss.
FINISHED = frozenset(
    {"rejected", "mediated", "mediation_failed", "terminated", "case_opened", "not_opened"}
)


def status_after(event_type: str, data: Mapping[str, Any]) -> str | None:
    """The submission's status after the event, or None if the event does not move it."""
    if event_type == CLOSED_EVENT:
        return data["outcome"]  # mediated, mediation_failed or terminated
    return STATUS_AFTER.get(event_type)


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
    complaints = [c for c in counts if c.kind == "complaint"]
    reports = [c for c in counts if c.kind == "report"]

    def total(rows: list[SubmissionCount], *statuses: str) -> int:
        return sum(r.count for r in rows if not statuses or r.status in statuses)

    public = {
        "complaints_received": total(complaints),
        "complaints_mediated": total(complaints, "mediated"),
        "complaints_closed": total(complaints, "mediated", "mediation_failed", "terminated"),
        "report_cases_opened": total(reports, "case_opened"),
    }
    if not full:
        return public
    return public | {
        "complaints_open": total(complaints, "submitted", "accepted"),
        "complaints_rejected": total(complaints, "rejected"),
        "reports_received": total(reports),
        "reports_not_opened": total(reports, "not_opened"),
        "overdue": sum(c.count for c in counts if c.overdue and c.status not in FINISHED),
    }


def sees_full_profile(principal: Principal, credit_code: str, region_code: str) -> bool:
    """The enterprise itself, a regulator of its region and an admin see everything; anyone
    else sees what is public."""
    if principal.role is Role.REGULATOR:
        return principal.covers_region(region_code)
    return principal.can_act_for_enterprise(credit_code)


def shown_reasons(reasons: list[dict[str, Any]], *, full: bool) -> list[dict[str, Any]]:
    return reasons if full else [reason for reason in reasons if reason.get("public")]
