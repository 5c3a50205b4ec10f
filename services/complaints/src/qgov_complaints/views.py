"""Turning submissions into what each kind of caller may see."""

from __future__ import annotations

from datetime import date

from qgov_complaints import privacy
from qgov_complaints.calendar import WorkingCalendar
from qgov_complaints.domain import overdue_before
from qgov_complaints.handlers.filing import Filed
from qgov_complaints.models import EnterpriseResponse, Submission, SubmissionHistory, SubmissionNote
from qgov_complaints.schemas import (
    FilingReceipt,
    HistoryEntry,
    NoteView,
    PersonView,
    RegulatorHistoryEntry,
    ResponseView,
    SubmissionDetail,
    SubmissionSummary,
    TrackingView,
)


def receipt(filed: Filed, calendar: WorkingCalendar) -> FilingReceipt:
    return FilingReceipt(
        tracking_number=filed.tracking_number,
        token=filed.token,
        kind=filed.kind,
        status=filed.status,
        received_at=filed.received_at,
        due_on=filed.running_due_on,
        due_is_provisional=not calendar.covers(filed.running_due_on),
    )


def tracking(
    row: Submission, history: list[SubmissionHistory], calendar: WorkingCalendar
) -> TrackingView:
    return TrackingView(
        tracking_number=row.tracking_number,
        kind=row.kind,
        status=row.status,
        received_at=row.received_at,
        region_code=row.region_code,
        running_deadline=row.running_deadline,
        due_on=row.running_due_on,
        due_is_provisional=_provisional(row, calendar),
        outcome=row.outcome,
        ground=row.ground,
        satisfaction=row.satisfaction,
        history=[HistoryEntry.model_validate(entry) for entry in history],
    )


def summary(row: Submission, today: date, calendar: WorkingCalendar) -> SubmissionSummary:
    return SubmissionSummary(
        id=row.id,
        tracking_number=row.tracking_number,
        kind=row.kind,
        status=row.status,
        category=row.category,
        handling_region_code=row.handling_region_code,
        respondent_name=row.respondent_name,
        respondent_credit_code=row.respondent_credit_code,
        received_at=row.received_at,
        running_deadline=row.running_deadline,
        due_on=row.running_due_on,
        due_is_provisional=_provisional(row, calendar),
        overdue=row.running_due_on is not None and row.running_due_on < overdue_before(today),
    )


def _provisional(row: Submission, calendar: WorkingCalendar) -> bool:
    return row.running_due_on is not None and not calendar.covers(row.running_due_on)


def detail(
    row: Submission,
    today: date,
    calendar: WorkingCalendar,
    *,
    unmasked: bool,
    history: list[SubmissionHistory],
    notes: list[SubmissionNote],
    responses: list[EnterpriseResponse],
) -> SubmissionDetail:
    return SubmissionDetail(
        **summary(row, today, calendar).model_dump(),
        region_code=row.region_code,
        channel=row.channel,
        person=person(row, unmasked=unmasked),
        personal_data_masked=not unmasked,
        agent=_agent(row.agent, unmasked=unmasked),
        respondent_address=row.respondent_address,
        request=row.request,
        facts=row.facts,
        amount=row.amount,
        incident_on=row.incident_on,
        known_harm_on=row.known_harm_on,
        evidence=row.evidence,
        outcome=row.outcome,
        ground=row.ground,
        termination_reason=row.termination_reason,
        decision_reason=row.decision_reason,
        extended=row.extended,
        satisfaction=row.satisfaction,
        history=[RegulatorHistoryEntry.model_validate(h, from_attributes=True) for h in history],
        notes=[NoteView.model_validate(note) for note in notes],
        responses=[ResponseView.model_validate(response) for response in responses],
    )


def person(row: Submission, *, unmasked: bool) -> PersonView | None:
    if row.anonymous or row.person_name is None:
        return None
    if unmasked:
        return PersonView(
            name=row.person_name,
            phone=row.person_phone,
            address=row.person_address,
            id_number=row.person_id_number,
        )
    return PersonView(
        name=privacy.mask_name(row.person_name),
        phone=privacy.mask_phone(row.person_phone),
        address=privacy.mask_address(row.person_address),
        id_number=row.person_id_number and privacy.mask_id_number(row.person_id_number),
    )


def _agent(agent: dict | None, *, unmasked: bool) -> dict | None:
    if agent is None or unmasked:
        return agent
    return {
        "name": privacy.mask_name(agent["name"]),
        "phone": privacy.mask_phone(agent["phone"]),
        "address": privacy.mask_address(agent["address"]),
        "relationship": agent["relationship"],
    }
