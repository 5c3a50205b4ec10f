"""Complaints as GeoReport v2 service requests: what the filer is told, and what the public
sees of a complaint, which is never anyone's personal data nor their own words."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from qgov_complaints.domain import FINAL, Status
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.filing import Filed
from qgov_complaints.open311.schemas import PostedRequest, ServiceRequest
from qgov_complaints.policy import Policy
from qgov_shared.regions import region_name


def posted(filed: Filed, account_id: str | None, ctx: Context) -> PostedRequest:
    days = ctx.policy.limits.complaint_acceptance_working_days
    return PostedRequest(
        service_request_id=filed.tracking_number,
        token=filed.token,
        service_notice=(
            f"投诉已收到。市场监督管理部门将在 {days} 个工作日内（{filed.running_due_on} 前）"
            "决定是否受理。请保存 service_request_id 和 token，凭二者查询办理进度。"
        ),
        account_id=account_id,
    )


_STATUS_NOTES = {
    Status.SUBMITTED: "已收到，待市场监督管理部门决定是否受理",
    Status.ACCEPTED: "已受理，待组织调解",
    Status.MEDIATING: "调解中",
    Status.MEDIATED: "已达成调解协议，待告知双方后办结",
    Status.MEDIATION_FAILED: "调解未能达成协议，待告知双方后办结",
    Status.TERMINATED: "调解已终止，待告知双方后办结",
    Status.CLOSED: "已办结",
    Status.REJECTED: "不予受理",
}
_OUTCOME_NOTES = {
    Status.MEDIATED: "达成调解协议",
    Status.MEDIATION_FAILED: "调解未能达成协议",
    Status.TERMINATED: "调解终止",
}


def service_request(row: Any, policy: Policy) -> ServiceRequest:
    tz = ZoneInfo(policy.timezone)
    name = policy.categories.get(row.category)
    return ServiceRequest(
        service_request_id=row.tracking_number,
        status="closed" if row.status in FINAL else "open",
        status_notes=_status_notes(row, policy),
        service_name=name,
        service_code=row.category,
        description=f"{name or row.category}消费投诉",
        agency_responsible=_agency(row.handling_region_code),
        requested_datetime=row.received_at.astimezone(tz),
        updated_datetime=row.last_change.astimezone(tz) if row.last_change else None,
        expected_datetime=_end_of_day(row.running_due_on, tz),
        address=row.location,
        lat=row.latitude,
        long=row.longitude,
    )


def _status_notes(row: Any, policy: Policy) -> str:
    """The status in words, with the coded legal ground where there is one (never free text)."""
    notes = _STATUS_NOTES.get(Status(row.status), row.status)
    if row.status == Status.REJECTED and row.ground in policy.rejection_grounds:
        return f"{notes}：{policy.rejection_grounds[row.ground]}"
    if row.status == Status.TERMINATED and row.termination_reason in policy.termination_reasons:
        return f"{notes}：{policy.termination_reasons[row.termination_reason]}"
    if row.status == Status.CLOSED and row.outcome in _OUTCOME_NOTES:
        return f"{notes}：{_OUTCOME_NOTES[Status(row.outcome)]}"
    return notes


def _agency(region_code: str) -> str:
    name = region_name(region_code)
    return f"{name or ''}市场监督管理部门（{region_code}）"


def _end_of_day(day: date | None, tz: ZoneInfo) -> datetime | None:
    """A deadline is met any time on its day, so the request is expected by the day's end."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz) if day else None
