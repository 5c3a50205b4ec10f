"""Service requests: filing a complaint by form, and the public listings and lookups."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, status

from qgov_complaints import queries
from qgov_complaints.dependencies import ContextDep
from qgov_complaints.domain import RuleViolation
from qgov_complaints.handlers import Context, filing
from qgov_complaints.open311 import views
from qgov_complaints.open311.forms import (
    FORM_MEDIA_TYPE,
    FORM_SCHEMA,
    filing_from_form,
    read_form,
    rule_problem,
)
from qgov_complaints.open311.schemas import PostedRequest, ServiceRequest, TokenLookup
from qgov_shared.app import SessionDep, UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.problems import ProblemException
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.uow import UnitOfWork

MAX_REQUESTS = 1000  # the specification's response volume: 90 days or 1000 requests
MAX_WINDOW = timedelta(days=90)

router = APIRouter()


@router.post(
    "/requests.json",
    status_code=status.HTTP_201_CREATED,
    response_model=list[PostedRequest],
    dependencies=[Depends(rate_limited)],  # anyone may file: the same limit as /complaints
    responses={404: {"description": "No service with the form's service_code"}},
    openapi_extra={"requestBody": {"content": {FORM_MEDIA_TYPE: {"schema": FORM_SCHEMA}}}},
)
async def post_request(
    request: Request, uow: UnitOfWorkDep, ctx: ContextDep, key: IdempotencyKeyDep
):
    """File a complaint from an Open311 form: the standard fields and `attribute[code]=value`
    for each attribute of the service definition. Send an Idempotency-Key to retry safely."""
    form = filing_from_form(await read_form(request), ctx.policy)

    async def file(uow: UnitOfWork) -> filing.Filed:
        try:
            return await filing.file_complaint(
                form.complaint, uow, ctx, channel="open311", place=form.place.columns()
            )
        except RuleViolation as violation:
            raise rule_problem(violation) from violation

    return await execute(
        uow,
        key,
        file,
        lambda filed: [views.posted(filed, form.account_id, ctx)],
        status_code=status.HTTP_201_CREATED,
    )


@router.get("/requests.json", response_model=list[ServiceRequest])
async def list_requests(
    session: SessionDep,
    ctx: ContextDep,
    service_request_id: Annotated[str | None, Query(description="comma-separated ids")] = None,
    service_code: Annotated[str | None, Query(description="comma-separated codes")] = None,
    start_date: Annotated[str | None, Query(description="e.g. 2025-03-01T00:00:00Z")] = None,
    end_date: Annotated[str | None, Query(description="at most 90 days after start")] = None,
    status_: Annotated[str | None, Query(alias="status", description="open, closed")] = None,
) -> list[ServiceRequest]:
    """Complaints, most recent first: by default those of the last 90 days, at most 1000.
    `service_request_id` overrides every other filter."""
    if ids := _comma_list(service_request_id):
        rows = await queries.public_complaints_numbered(session, ids[:MAX_REQUESTS], MAX_REQUESTS)
    else:
        received = _window(start_date, end_date, ctx)
        categories, closed = _comma_list(service_code), _closed(status_)
        rows = await queries.public_complaints_received(
            session, received, categories, closed, MAX_REQUESTS
        )
    return [views.service_request(row, ctx.policy) for row in rows]


@router.get("/requests/{service_request_id}.json", response_model=list[ServiceRequest])
async def get_request(
    service_request_id: str, session: SessionDep, ctx: ContextDep
) -> list[ServiceRequest]:
    """One complaint, as a list of one, as the specification has it."""
    row = await queries.public_complaint(session, service_request_id)
    if row is None:
        raise ProblemException(404, f"No service request {service_request_id!r}.")
    return [views.service_request(row, ctx.policy)]


@router.get("/tokens/{token}.json", response_model=list[TokenLookup])
async def request_from_token(token: str, session: SessionDep) -> list[TokenLookup]:
    """The service_request_id a token was issued with."""
    tracking_number = await queries.tracking_number_for_token(session, token)
    if tracking_number is None:
        raise ProblemException(404, "No service request has this token.")
    return [TokenLookup(service_request_id=tracking_number, token=token)]


@router.api_route("/{resource:path}.xml", methods=["GET", "POST"], include_in_schema=False)
async def xml_not_offered(resource: str) -> None:
    raise ProblemException(
        400, f"This GeoReport v2 server answers in JSON only: use {resource}.json instead."
    )


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _closed(value: str | None) -> bool | None:
    """Whether `status` asks for closed requests only (True), open ones only (False), or both."""
    statuses = set(_comma_list(value))
    if unknown := statuses - {"open", "closed"}:
        raise _query_problem("status", f"open or closed, not {', '.join(sorted(unknown))}")
    return None if statuses in (set(), {"open", "closed"}) else statuses == {"closed"}


def _window(
    start_text: str | None, end_text: str | None, ctx: Context
) -> tuple[datetime, datetime]:
    """The requested period; a missing end lies 90 days after the start (or is now), a missing
    start 90 days before the end."""
    tz = ZoneInfo(ctx.policy.timezone)
    start = _moment(start_text, "start_date", tz, end_of_day=False)
    end = _moment(end_text, "end_date", tz, end_of_day=True)
    if end is None:
        end = start + MAX_WINDOW if start is not None else ctx.now
    if start is None:
        start = end - MAX_WINDOW
    if end < start:
        raise _query_problem("end_date", "is before start_date")
    if end - start > MAX_WINDOW:
        raise _query_problem("end_date", "at most 90 days after start_date")
    return start, end


def _moment(text: str | None, name: str, tz: ZoneInfo, *, end_of_day: bool) -> datetime | None:
    """A w3c date-time, which must carry its time zone. A bare date is a whole day in China
    Standard Time: a period starts at its first day's beginning and ends at its last day's end."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=tz)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _query_problem(name, "an ISO 8601 date-time, e.g. 2025-03-01T00:00:00Z") from None
    if moment.tzinfo is None:
        raise _query_problem(name, "needs its time zone, e.g. Z or +08:00")
    return moment


def _query_problem(name: str, detail: str) -> ProblemException:
    return ProblemException(
        400,
        f"The query parameter {name} is invalid: {detail}.",
        errors=[{"parameter": name, "in": "query", "detail": detail}],
    )
