"""Rows as the API shows them."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel

from qgov_traceability.models import CaptureJob, NamedQuery, Subscription
from qgov_traceability.schemas import CaptureJobPublic, NamedQueryPublic, SubscriptionPublic


class EventCaptured(BaseModel):
    eventID: str


def event_location(event_id: str) -> str:
    return f"/epcis/events/{quote(event_id, safe='')}"


def capture_job(job: CaptureJob) -> CaptureJobPublic:
    return CaptureJobPublic(
        captureID=str(job.id),
        createdAt=job.created_at,
        finishedAt=job.finished_at,
        running=job.finished_at is None,
        success=job.status == "success",
        captureErrorBehaviour=job.behaviour,
        eventCount=job.event_count,
        capturedCount=job.captured,
        errors=job.errors,
    )


def named_query(row: NamedQuery) -> NamedQueryPublic:
    return NamedQueryPublic(name=row.name, query=row.parameters, created_at=row.created_at)


def subscription(row: Subscription) -> SubscriptionPublic:
    return SubscriptionPublic(
        subscriptionID=str(row.id),
        dest=row.dest,
        stream=True,
        initialRecordTime=row.initial_record_time,
        delivered=row.delivered,
        lastStatus=row.last_status,
    )
