"""Capture (EPCIS 2.0 REST binding, §12.6): a document's events are checked one by one
against the schema, read, and checked against who captures them; then stored together, or,
when one fails, as `GS1-Capture-Error-Behaviour` says:

- `rollback` (the default): none is stored; the job names the first event that failed;
- `all`: none is stored; the job names every event that failed (a full report);
- `proceed`: the others are stored; the job names each that failed.

The job records the outcome; capture runs within the request, so a job is finished when its
202 answer leaves, and `GET /epcis/capture/{id}` tells how it went."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, update

from qgov_shared.auth import Role
from qgov_shared.uow import UnitOfWork
from qgov_traceability.epcis.event_hash import namespaces_of
from qgov_traceability.epcis.reading import EventRejected, ReadEvent, read_event
from qgov_traceability.epcis.schema import EpcisSchema
from qgov_traceability.handlers import Context
from qgov_traceability.handlers.storing import Stored, store
from qgov_traceability.models import CaptureJob
from qgov_traceability.queries.parties import Owner, owners_of


class Behaviour(StrEnum):
    ROLLBACK = "rollback"
    ALL = "all"
    PROCEED = "proceed"


class EpcisRefusal(Exception):
    """A capture refused as a whole, with the binding's exception type."""

    def __init__(self, status: int, exception: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.exception, self.detail = status, exception, detail


@dataclass
class Outcome:
    job_id: int
    stored: int
    errors: list[dict[str, Any]] = field(default_factory=list)


async def capture_document(
    document: Any,
    behaviour: Behaviour,
    uow: UnitOfWork,
    ctx: Context,
    schema: EpcisSchema,
    limit: int,
) -> Outcome:
    """Capture an EPCISDocument (or the events of an EPCISQueryDocument)."""
    events = _event_list(document, schema)
    if len(events) > limit:
        raise EpcisRefusal(
            413, "CaptureLimitExceededException", f"a capture takes at most {limit} events"
        )
    namespaces = namespaces_of(document.get("@context"))
    read, errors = [], []
    for index, event in enumerate(events):
        problem = schema.event_errors(event) or _read(event, namespaces, read)
        if problem:
            errors.append({"index": index, "eventID": _given_id(event), "detail": problem[0]})
            if behaviour is Behaviour.ROLLBACK:
                break
    stored = await _checked(read, errors, uow, ctx)
    keep = not errors or behaviour is Behaviour.PROCEED
    count = 0
    job_id = await _job(uow, ctx, behaviour, len(events), errors, partial=bool(stored) and keep)
    if keep:
        count = await store(
            stored,
            uow,
            context=document.get("@context"),
            record_time=ctx.now,
            job_id=job_id,
            captured_by=ctx.actor,
        )
        await uow.session.execute(
            update(CaptureJob).where(CaptureJob.id == job_id).values(captured=count)
        )
    return Outcome(job_id, count, errors)


async def capture_event(event: Any, uow: UnitOfWork, ctx: Context, schema: EpcisSchema) -> str:
    """Capture one bare event (`POST /epcis/events`); its eventID."""
    if problems := schema.single_event_errors(event):
        raise EpcisRefusal(400, "ValidationException", problems[0])
    read: list[ReadEvent] = []
    namespaces = namespaces_of(event.get("@context"))
    if problem := _read({k: v for k, v in event.items() if k != "@context"}, namespaces, read):
        raise EpcisRefusal(400, "ValidationException", problem[0])
    errors: list[dict[str, Any]] = []
    stored = await _checked(read, errors, uow, ctx)
    if errors:
        raise EpcisRefusal(403, "SecurityException", errors[0]["detail"])
    context = event.get("@context")
    await store(
        stored, uow, context=context, record_time=ctx.now, job_id=None, captured_by=ctx.actor
    )
    return read[0].event_id


def _event_list(document: Any, schema: EpcisSchema) -> list[Any]:
    if problems := schema.document_errors(document):
        raise EpcisRefusal(400, "ValidationException", problems[0])
    body = document["epcisBody"]
    if document.get("type") == "EPCISQueryDocument":
        return body["queryResults"]["resultsBody"].get("eventList") or []
    return body["eventList"]


def _read(event: Any, namespaces: dict[str, str], into: list[ReadEvent]) -> list[str]:
    try:
        into.append(read_event(event, namespaces))
    except EventRejected as error:
        return [str(error)[:300]]
    return []


async def _checked(
    read: list[ReadEvent], errors: list[dict[str, Any]], uow: UnitOfWork, ctx: Context
) -> list[Stored]:
    """Each event with the parties it concerns. An enterprise captures only events that
    concern it: something or somewhere they name is under one of its company prefixes."""
    owners = await owners_of(uow.session, {uri for event in read for uri in event.uris})
    principal = ctx.principal
    stored = []
    for event in read:
        parties = _parties(event, owners)
        if principal.role is Role.ENTERPRISE:
            own = principal.credit_code
            if own not in {code for code, _ in parties}:
                detail = "the event names nothing under your GS1 company prefixes"
                errors.append({"eventID": event.event_id, "detail": detail})
                continue
        stored.append(Stored(event, frozenset(parties)))
    return stored


def _parties(event: ReadEvent, owners: dict[str, Owner]) -> set[tuple[str, str]]:
    return {(o.credit_code, o.region_code) for uri in event.uris if (o := owners.get(uri))}


def _given_id(event: Any) -> str | None:
    value = event.get("eventID") if isinstance(event, dict) else None
    return str(value)[:512] if value is not None else None


async def _job(
    uow: UnitOfWork,
    ctx: Context,
    behaviour: Behaviour,
    count: int,
    errors: list[dict[str, Any]],
    *,
    partial: bool,
) -> int:
    return await uow.session.scalar(
        insert(CaptureJob)
        .values(
            status="success" if not errors else ("partial" if partial else "failed"),
            behaviour=behaviour.value,
            created_at=ctx.now,
            finished_at=ctx.now,
            event_count=count,
            captured=0,
            errors=errors,
            captured_by=ctx.actor,
        )
        .returning(CaptureJob.id)
    )
