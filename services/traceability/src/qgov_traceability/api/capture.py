"""EPCIS capture: a document (`POST /epcis/capture`, answered 202 with the capture job) or one
event (`POST /epcis/events`), by an enterprise (events that concern it) or an administrator."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, status

from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.pagination import Page, PageRequestDep
from qgov_shared.ids import RowId
from qgov_traceability import views
from qgov_traceability.api.problems import VERSION_HEADERS, declared, refused
from qgov_traceability.dependencies import Capturer, ContextDep, TraceabilityDependenciesDep
from qgov_traceability.handlers import capture
from qgov_traceability.handlers.capture import Behaviour, EpcisRefusal
from qgov_traceability.queries import records
from qgov_traceability.schemas import CaptureJobPublic

router = APIRouter(prefix="/epcis", tags=["epcis"])
Document = Annotated[dict[str, Any], Body(description="an EPCISDocument (JSON-LD)")]
ErrorBehaviour = Annotated[
    Behaviour,
    Header(
        alias="GS1-Capture-Error-Behaviour",
        description="rollback (none stored if one fails), all (the same, every failure "
        "reported) or proceed (the valid ones stored)",
    ),
]


@router.post(
    "/capture",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CaptureJobPublic,
    responses={
        **declared(400, "ValidationException: not an EPCIS document"),
        **declared(413, "CaptureLimitExceededException: too many events"),
    },
)
async def capture_document(
    document: Document,
    principal: Capturer,
    ctx: ContextDep,
    deps: TraceabilityDependenciesDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
    behaviour: ErrorBehaviour = Behaviour.ROLLBACK,
):
    """Capture an EPCIS document. The answer is the finished capture job, also at its
    `Location`; a job that failed names the events at fault."""
    settings = deps.settings

    async def run(uow):
        try:
            outcome = await capture.capture_document(
                document, behaviour, uow, ctx, deps.schema, settings.capture_limit
            )
        except EpcisRefusal as error:
            raise refused(error) from None
        return await records.capture_job(uow.session, outcome.job_id, ctx.actor, admin=True)

    return await execute(
        uow,
        key,
        run,
        views.capture_job,
        status_code=status.HTTP_202_ACCEPTED,
        headers=lambda job: {
            "Location": f"/epcis/capture/{job.id}",
            "GS1-EPCIS-Capture-Limit": str(settings.capture_limit),
            "GS1-EPCIS-Capture-File-Size-Limit": str(settings.max_body_bytes),
            **VERSION_HEADERS,
        },
    )


@router.get("/capture", response_model=Page[CaptureJobPublic])
async def capture_jobs(
    principal: Capturer, ctx: ContextDep, session: SessionDep, page: PageRequestDep
) -> Page[CaptureJobPublic]:
    """Your capture jobs, oldest first."""
    rows, cursor = await records.capture_jobs(session, ctx.actor, page)
    return Page(items=[views.capture_job(row[0]) for row in rows], next_cursor=cursor)


@router.get("/capture/{capture_id}", response_model=CaptureJobPublic)
async def capture_job(
    capture_id: RowId, principal: Capturer, ctx: ContextDep, session: SessionDep
) -> CaptureJobPublic:
    """How a capture went: its events captured, or the errors that stopped them."""
    job = await records.capture_job(session, capture_id, ctx.actor, admin=principal.role == "admin")
    return views.capture_job(job)


@router.post(
    "/events",
    status_code=status.HTTP_201_CREATED,
    response_model=views.EventCaptured,
    responses={
        **declared(400, "ValidationException: not a valid EPCIS event"),
        **declared(403, "SecurityException: the event does not concern you"),
    },
)
async def capture_event(
    event: Annotated[dict[str, Any], Body(description="one EPCIS event, with its @context")],
    principal: Capturer,
    ctx: ContextDep,
    deps: TraceabilityDependenciesDep,
    uow: UnitOfWorkDep,
    key: IdempotencyKeyDep,
):
    """Capture one event at once; it is stored (or found already stored) when this answers."""

    async def run(uow) -> str:
        try:
            return await capture.capture_event(event, uow, ctx, deps.schema)
        except EpcisRefusal as error:
            raise refused(error) from None

    return await execute(
        uow,
        key,
        run,
        lambda event_id: views.EventCaptured(eventID=event_id),
        status_code=status.HTTP_201_CREATED,
        headers=lambda event_id: {"Location": views.event_location(event_id), **VERSION_HEADERS},
    )
