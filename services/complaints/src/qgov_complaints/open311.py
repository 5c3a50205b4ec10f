"""Open311 GeoReport v2 for complaints (投诉), in JSON, under `/open311/v2/`.

Each complaint category of the policy is one Open311 service; a complaint is a service request
whose `service_request_id` is its tracking number. Only complaints are service requests:
reports (举报) are confidential and never appear here.

Where we part from the specification, and why:
- JSON only (`.json` paths). An `.xml` path is answered with a 400 problem saying so.
- Errors are RFC 9457 problem documents (QGov's public contract), not the `[{code,
  description}]` array; the HTTP statuses are the specification's (400, 404).
- POST answers with both `service_request_id` and `token`. The specification's token is a
  temporary id for batch servers; ours is the secret that, with the tracking number,
  authorises following the complaint (`GET /api/v1/tracking/{id}`, header X-Tracking-Token).
  `tokens/{token}.json` still turns it into the `service_request_id`.
- `api_key` is not checked: callers are identified by the gateway's bearer tokens, and anyone
  may file a complaint. `jurisdiction_id` is ignored: one jurisdiction serves every region.
- A location is optional (a consumer dispute need not have one); `attribute[region_code]`
  says where it is handled. `email`, `device_id` and `media_url` are not kept: a complaint
  has no e-mail contact, and evidence is described by its metadata, not fetched from URLs.
- Request listings are public, so they carry no personal data: `description` is the kind of
  complaint, not the complainant's own words (which routinely name people and phones), and
  `address` is where it happened, never the complainant's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, or_, select

from qgov_complaints import handlers
from qgov_complaints.dependencies import ContextDep, PolicyDep
from qgov_complaints.domain import FINAL, Kind, RuleViolation, Status
from qgov_complaints.handlers import Context
from qgov_complaints.models import Submission, SubmissionHistory
from qgov_complaints.policy import Policy
from qgov_complaints.schemas import ComplaintCreate
from qgov_shared.app import UnitOfWorkDep
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.problems import ProblemException
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.regions import region_name
from qgov_shared.uow import UnitOfWork

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
GROUP = "12315"
MAX_REQUESTS = 1000  # the specification's response volume: 90 days or 1000 requests
MAX_WINDOW = timedelta(days=90)

# The specification answers a request it cannot take with 400, whatever part is malformed.
router = APIRouter(
    prefix="/open311/v2",
    tags=["open311"],
    responses={400: {"description": "A malformed form, query or path, as GeoReport v2 says"}},
)


# --- what the service definitions ask --------------------------------------------------------


@dataclass(frozen=True)
class FormAttribute:
    """One `attribute[code]` of every complaint service, and where its value goes in a
    `ComplaintCreate`."""

    code: str
    target: tuple[str, ...]
    datatype: Literal["string", "number", "datetime", "text"]
    required: bool
    description: str
    datatype_description: str | None = None


ATTRIBUTES: tuple[FormAttribute, ...] = (
    FormAttribute(
        "respondent_name", ("respondent", "name"), "string", True, "被投诉人（经营者）名称"
    ),
    FormAttribute(
        "respondent_credit_code",
        ("respondent", "credit_code"),
        "string",
        False,
        "被投诉人的统一社会信用代码",
        "18 位统一社会信用代码（GB 32100-2015）",
    ),
    FormAttribute("respondent_address", ("respondent", "address"), "string", False, "被投诉人地址"),
    FormAttribute(
        "request", ("request",), "text", True, "投诉请求：希望经营者如何解决，如退货、退款、赔偿"
    ),
    FormAttribute(
        "complainant_name",
        ("complainant", "name"),
        "string",
        False,
        "投诉人姓名；不填则取 last_name 与 first_name",
    ),
    FormAttribute(
        "complainant_phone",
        ("complainant", "phone"),
        "string",
        True,
        "投诉人联系电话；也可用标准字段 phone 提交",
        "手机号，或带区号的固定电话",
    ),
    FormAttribute(
        "complainant_address", ("complainant", "address"), "string", True, "投诉人联系地址"
    ),
    FormAttribute("amount", ("amount",), "number", False, "涉及金额（元）", "非负数，最多两位小数"),
    FormAttribute(
        "incident_on",
        ("incident_on",),
        "datetime",
        False,
        "购买商品、接受服务或问题发生的日期",
        "ISO 8601 日期，如 2025-03-01",
    ),
    FormAttribute(
        "known_harm_on",
        ("known_harm_on",),
        "datetime",
        False,
        "知道或者应当知道权益受到侵害的日期",
        "ISO 8601 日期，如 2025-03-01",
    ),
    FormAttribute(
        "region_code",
        ("region_code",),
        "string",
        True,
        "消费行为发生地或被投诉人所在地的行政区划，决定由哪里的市场监督管理部门处理",
        "6 位行政区划代码（GB/T 2260），如 440203",
    ),
)
_ATTRIBUTES_BY_CODE = {attribute.code: attribute for attribute in ATTRIBUTES}

# The form field to blame when a part of the complaint is missing or wrong.
_FIELD_FOR_TARGET: dict[tuple[str, ...], str] = {
    ("facts",): "description",
    ("category",): "service_code",
    **{attribute.target: f"attribute[{attribute.code}]" for attribute in ATTRIBUTES},
}


class Service(BaseModel):
    service_code: str
    service_name: str
    description: str
    metadata: bool = True
    type: Literal["realtime", "batch", "blackbox"] = "realtime"
    keywords: str
    group: str = GROUP


class Attribute(BaseModel):
    variable: bool = True
    code: str
    datatype: str
    required: bool
    datatype_description: str | None
    order: int
    description: str


class ServiceDefinition(BaseModel):
    service_code: str
    attributes: list[Attribute]


class PostedRequest(BaseModel):
    service_request_id: str = Field(description="the complaint's tracking number")
    token: str = Field(
        description="secret, shown once: with service_request_id it authorises following the "
        "complaint (GET /api/v1/tracking/{service_request_id}, header X-Tracking-Token)"
    )
    service_notice: str
    account_id: str | None


class ServiceRequest(BaseModel):
    service_request_id: str
    status: Literal["open", "closed"]
    status_notes: str | None
    service_name: str | None
    service_code: str
    description: str | None
    agency_responsible: str | None
    service_notice: str | None = None
    requested_datetime: datetime
    updated_datetime: datetime | None
    expected_datetime: datetime | None = Field(
        description="the running legal deadline: the end of its last working day"
    )
    address: str | None = Field(description="where it happened, as the complainant gave it")
    address_id: str | None = None
    zipcode: str | None = None
    lat: float | None
    long: float | None
    media_url: str | None = None


class TokenLookup(BaseModel):
    service_request_id: str
    token: str


# --- services ----------------------------------------------------------------------------------


@router.get("/services.json", response_model=list[Service])
async def list_services(policy: PolicyDep) -> list[Service]:
    """One service per complaint category of the 12315 policy."""
    return [_service(code, name) for code, name in policy.categories.items()]


@router.get("/services/{service_code}.json", response_model=ServiceDefinition)
async def service_definition(service_code: str, policy: PolicyDep) -> ServiceDefinition:
    """What a complaint of this category asks, beyond the standard fields."""
    _check_service_code(service_code, policy, where="path")
    return ServiceDefinition(
        service_code=service_code,
        attributes=[
            Attribute(
                code=attribute.code,
                datatype=attribute.datatype,
                required=attribute.required,
                datatype_description=attribute.datatype_description,
                order=order,
                description=attribute.description,
            )
            for order, attribute in enumerate(ATTRIBUTES, start=1)
        ],
    )


def _service(code: str, name: str) -> Service:
    # The parts of a compound name ("药品与医疗器械") are its most useful synonyms.
    parts = [part for part in re.split("[与及和]", name) if part != name]
    return Service(
        service_code=code,
        service_name=name,
        description=f"投诉经营者在{name}方面侵害消费者权益，由市场监督管理部门受理并组织调解",
        keywords=", ".join([name, *parts, "消费投诉", GROUP]),
    )


def _check_service_code(code: str, policy: Policy, where: str) -> None:
    if code not in policy.categories:
        raise ProblemException(
            404,
            f"No service {code!r}; GET services.json lists them.",
            errors=[{"parameter": "service_code", "in": where, "detail": "unknown service"}],
        )


# --- filing ------------------------------------------------------------------------------------


# The standard fields of a GeoReport v2 POST, as this server uses them (for the API docs).
_STANDARD_FIELDS = {
    "service_code": "a code from services.json (required)",
    "description": "事实和理由: what happened (required)",
    "last_name": "the complainant's family name (姓)",
    "first_name": "the complainant's given name (名)",
    "phone": "the complainant's phone, unless attribute[complainant_phone] gives it",
    "address_string": "where it happened (not the complainant's address)",
    "lat": "WGS84 latitude of where it happened, with long",
    "long": "WGS84 longitude of where it happened, with lat",
    "account_id": "echoed in the answer",
    "email": "not kept",
    "device_id": "not kept",
    "media_url": "not kept",
    "api_key": "not checked: callers are identified by their bearer token",
    "jurisdiction_id": "ignored: one jurisdiction",
}
_FORM_SCHEMA = {
    "type": "object",
    "required": ["service_code", "description"],
    "properties": {
        name: {"type": "string", "description": description}
        for name, description in _STANDARD_FIELDS.items()
    },
    "additionalProperties": {
        "type": "string",
        "description": "attribute[code]=value for each attribute of the service definition",
    },
}


@dataclass(frozen=True)
class Place:
    """Where the complaint happened: what Open311 calls the request's location."""

    address: str | None
    lat: float | None
    long: float | None

    def columns(self) -> dict[str, str | float | None]:
        return {"location": self.address, "latitude": self.lat, "longitude": self.long}


@dataclass(frozen=True)
class Filing:
    complaint: ComplaintCreate
    place: Place
    account_id: str | None


@router.post(
    "/requests.json",
    status_code=status.HTTP_201_CREATED,
    response_model=list[PostedRequest],
    dependencies=[Depends(rate_limited)],  # anyone may file: the same limit as /complaints
    responses={404: {"description": "No service with the form's service_code"}},
    openapi_extra={"requestBody": {"content": {FORM_MEDIA_TYPE: {"schema": _FORM_SCHEMA}}}},
)
async def post_request(
    request: Request, uow: UnitOfWorkDep, ctx: ContextDep, key: IdempotencyKeyDep
):
    """File a complaint from an Open311 form: the standard fields and `attribute[code]=value`
    for each attribute of the service definition. Send an Idempotency-Key to retry safely."""
    filing = filing_from_form(await _read_form(request), ctx.policy)

    async def file(uow: UnitOfWork) -> handlers.Filed:
        try:
            return await handlers.file_complaint(
                filing.complaint, uow, ctx, channel="open311", place=filing.place.columns()
            )
        except RuleViolation as violation:
            raise _rule_problem(violation) from violation

    return await execute(
        uow,
        key,
        file,
        lambda filed: [_posted(filed, filing.account_id, ctx)],
        status_code=status.HTTP_201_CREATED,
    )


async def _read_form(request: Request) -> list[tuple[str, str]]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise ProblemException(
            415,
            f"GeoReport v2 requests are posted as {FORM_MEDIA_TYPE}.",
            headers={"Accept-Post": FORM_MEDIA_TYPE},
        )
    try:
        # Strict: a percent-escaped byte that is not UTF-8 is refused, not turned into "�".
        return parse_qsl(
            (await request.body()).decode("utf-8"), keep_blank_values=True, errors="strict"
        )
    except UnicodeDecodeError:
        raise ProblemException(400, "The form is not UTF-8, as GeoReport v2 requires.") from None


def filing_from_form(pairs: list[tuple[str, str]], policy: Policy) -> Filing:
    """The complaint an Open311 form describes, or a 400 naming each bad form field."""
    fields, attributes = _split_form(pairs)
    service_code = fields.get("service_code")
    if service_code is None:
        raise _form_problem([("service_code", "required: GET services.json lists the codes")])
    _check_service_code(service_code, policy, where="form")
    given = _given_values(fields, attributes, policy)
    place = _place(fields)
    try:
        complaint = ComplaintCreate.model_validate(_nest(given))
    except ValidationError as error:
        raise _form_problem(
            [(_blamed_field(err["loc"], given), err["msg"]) for err in error.errors()]
        ) from None
    return Filing(complaint, place, fields.get("account_id"))


_ATTRIBUTE_KEY = re.compile(r"attribute\[([^\[\]]+)\]")


def _split_form(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Standard fields and attributes by code. A blank value counts as absent, as the
    specification says of optional arguments; a field given twice is refused, not guessed."""
    fields: dict[str, str] = {}
    attributes: dict[str, str] = {}
    seen: set[str] = set()
    problems: list[tuple[str, str]] = []
    for name, value in pairs:
        if name in seen:
            problems.append((name, "given more than once; every field takes one value"))
            continue
        seen.add(name)
        if not value.strip():
            continue
        if match := _ATTRIBUTE_KEY.fullmatch(name):
            attributes[match.group(1)] = value
        elif name.startswith("attribute["):
            problems.append((name, "not an attribute of this service: use attribute[code]"))
        else:
            fields[name] = value
    problems += [
        (f"attribute[{code}]", "not an attribute of this service; see its service definition")
        for code in attributes
        if code not in _ATTRIBUTES_BY_CODE
    ]
    if problems:
        raise _form_problem(problems)
    return fields, attributes


def _given_values(
    fields: dict[str, str], attributes: dict[str, str], policy: Policy
) -> dict[tuple[str, ...], tuple[str, str]]:
    """Each part of the complaint the form gives: its target → (form field, value).
    Attributes win over the standard fields that stand in for them."""
    given: dict[tuple[str, ...], tuple[str, str]] = {
        ("category",): ("service_code", fields["service_code"])
    }
    if "description" in fields:
        given[("facts",)] = ("description", fields["description"])
    if name := _person_name(fields.get("first_name"), fields.get("last_name")):
        given[("complainant", "name")] = ("last_name", name)
    if "phone" in fields:
        given[("complainant", "phone")] = ("phone", fields["phone"])
    tz = ZoneInfo(policy.timezone)
    for code, value in attributes.items():
        attribute = _ATTRIBUTES_BY_CODE[code]
        field_name = f"attribute[{code}]"
        if attribute.datatype == "datetime":
            value = _as_date(value, tz, field_name)
        given[attribute.target] = (field_name, value)
    return given


def _person_name(first_name: str | None, last_name: str | None) -> str | None:
    """Chinese names put the family name first, without a space; others given name first."""
    parts = [part.strip() for part in (last_name, first_name) if part and part.strip()]
    if not parts:
        return None
    if any(_is_cjk(character) for part in parts for character in part):
        return "".join(parts)
    return " ".join(reversed(parts))


def _is_cjk(character: str) -> bool:
    return "\u3400" <= character <= "\u9fff"


def _as_date(value: str, tz: ZoneInfo, field_name: str) -> str:
    """A `datetime` attribute as the day it names: a date as is, a date-time on the regulators'
    calendar (a moment late on 1 March UTC is already 2 March in Beijing)."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _form_problem([(field_name, "not an ISO 8601 date, e.g. 2025-03-01")]) from None
    return (moment.astimezone(tz) if moment.tzinfo else moment).date().isoformat()


def _place(fields: dict[str, str]) -> Place:
    problems: list[tuple[str, str]] = []
    address = fields.get("address_string")
    if address is not None and len(address) > 300:
        problems.append(("address_string", "at most 300 characters"))
    lat = _coordinate(fields, "lat", 90, problems)
    long = _coordinate(fields, "long", 180, problems)
    if (lat is None) != (long is None) and not problems:
        missing = "long" if long is None else "lat"
        problems.append((missing, "lat and long are sent together"))
    if problems:
        raise _form_problem(problems)
    return Place(address, lat, long)


def _coordinate(
    fields: dict[str, str], name: str, limit: float, problems: list[tuple[str, str]]
) -> float | None:
    if name not in fields:
        return None
    try:
        value = float(fields[name])
    except ValueError:
        problems.append((name, "a WGS84 coordinate in decimal degrees"))
        return None
    if not -limit <= value <= limit:
        problems.append((name, f"between -{limit:g} and {limit:g}"))
        return None
    return value


def _nest(given: dict[tuple[str, ...], tuple[str, str]]) -> dict[str, Any]:
    # The people always have their own objects, so a missing part is blamed on its own field.
    nested: dict[str, Any] = {"complainant": {}, "respondent": {}}
    for target, (_, value) in given.items():
        *parents, leaf = target
        node = nested
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return nested


def _blamed_field(loc: tuple[Any, ...], given: dict[tuple[str, ...], tuple[str, str]]) -> str:
    """The form field behind a part of the complaint: the one that gave it, or the one that
    should have."""
    for length in range(len(loc), 0, -1):
        target = tuple(str(part) for part in loc[:length])
        if target in given:
            return given[target][0]
        if target in _FIELD_FOR_TARGET:
            return _FIELD_FOR_TARGET[target]
    return ".".join(str(part) for part in loc)


def _rule_problem(violation: RuleViolation) -> ProblemException:
    if violation.field is None:
        return ProblemException(400, str(violation))
    field_name = _FIELD_FOR_TARGET.get(tuple(violation.field.split(".")), violation.field)
    return _form_problem([(field_name, str(violation))])


def _form_problem(problems: list[tuple[str, str]]) -> ProblemException:
    return ProblemException(
        400,
        "The form has invalid fields; see `errors`.",
        errors=[
            {"parameter": field_name, "in": "form", "detail": detail}
            for field_name, detail in problems
        ],
    )


def _posted(filed: handlers.Filed, account_id: str | None, ctx: Context) -> PostedRequest:
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


# --- following requests -------------------------------------------------------------------------

# The status changes (and transfers, which change the agency) are what the public sees change.
_LAST_PUBLIC_CHANGE = (
    select(func.max(SubmissionHistory.at))
    .where(
        SubmissionHistory.submission_id == Submission.id,
        or_(
            SubmissionHistory.from_status.is_distinct_from(SubmissionHistory.to_status),
            SubmissionHistory.action == "transferred",
        ),
    )
    .scalar_subquery()
    .label("last_change")
)

# Listings are public: the queries read these columns only, so no personal data can leak out.
_PUBLIC_COLUMNS = (
    Submission.tracking_number,
    Submission.status,
    Submission.category,
    Submission.handling_region_code,
    Submission.received_at,
    Submission.running_due_on,
    Submission.location,
    Submission.latitude,
    Submission.longitude,
    Submission.ground,
    Submission.termination_reason,
    Submission.outcome,
    _LAST_PUBLIC_CHANGE,
)


@router.get("/requests.json", response_model=list[ServiceRequest])
async def list_requests(
    uow: UnitOfWorkDep,
    ctx: ContextDep,
    service_request_id: Annotated[str | None, Query(description="comma-separated ids")] = None,
    service_code: Annotated[str | None, Query(description="comma-separated codes")] = None,
    start_date: Annotated[str | None, Query(description="e.g. 2025-03-01T00:00:00Z")] = None,
    end_date: Annotated[str | None, Query(description="at most 90 days after start")] = None,
    status_: Annotated[str | None, Query(alias="status", description="open, closed")] = None,
) -> list[ServiceRequest]:
    """Complaints, most recent first: by default those of the last 90 days, at most 1000.
    `service_request_id` overrides every other filter."""
    query = select(*_PUBLIC_COLUMNS).where(Submission.kind == Kind.COMPLAINT.value)
    if ids := _comma_list(service_request_id):
        query = query.where(Submission.tracking_number.in_(ids[:MAX_REQUESTS]))
    else:
        start, end = _window(start_date, end_date, ctx)
        query = query.where(Submission.received_at.between(start, end))
        if codes := _comma_list(service_code):
            query = query.where(Submission.category.in_(codes))
        if statuses := _statuses(status_):
            closed = Submission.status.in_([s.value for s in FINAL])
            query = query.where(closed if statuses == {"closed"} else ~closed)
    query = query.order_by(Submission.received_at.desc(), Submission.id.desc())
    async with uow:
        rows = (await uow.session.execute(query.limit(MAX_REQUESTS))).all()
    return [_service_request(row, ctx.policy) for row in rows]


@router.get("/requests/{service_request_id}.json", response_model=list[ServiceRequest])
async def get_request(
    service_request_id: str, uow: UnitOfWorkDep, ctx: ContextDep
) -> list[ServiceRequest]:
    """One complaint, as a list of one, as the specification has it."""
    query = select(*_PUBLIC_COLUMNS).where(
        Submission.kind == Kind.COMPLAINT.value, Submission.tracking_number == service_request_id
    )
    async with uow:
        row = (await uow.session.execute(query)).first()
    if row is None:
        raise ProblemException(404, f"No service request {service_request_id!r}.")
    return [_service_request(row, ctx.policy)]


@router.get("/tokens/{token}.json", response_model=list[TokenLookup])
async def request_from_token(token: str, uow: UnitOfWorkDep) -> list[TokenLookup]:
    """The service_request_id a token was issued with."""
    async with uow:
        tracking_number = await _tracking_number_for(token, uow)
    if tracking_number is None:
        raise ProblemException(404, "No service request has this token.")
    return [TokenLookup(service_request_id=tracking_number, token=token)]


async def _tracking_number_for(token: str, uow: UnitOfWork) -> str | None:
    # Tokens are stored only as their digest, so the lookup is by the digest of the one given.
    query = select(Submission.tracking_number).where(
        Submission.kind == Kind.COMPLAINT.value,
        Submission.token_hash == handlers.token_digest(token),
    )
    return (await uow.session.scalars(query)).first()


@router.api_route("/{resource:path}.xml", methods=["GET", "POST"], include_in_schema=False)
async def xml_not_offered(resource: str) -> None:
    raise ProblemException(
        400, f"This GeoReport v2 server answers in JSON only: use {resource}.json instead."
    )


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _statuses(value: str | None) -> set[str]:
    statuses = set(_comma_list(value))
    if unknown := statuses - {"open", "closed"}:
        raise _query_problem("status", f"open or closed, not {', '.join(sorted(unknown))}")
    return statuses if statuses != {"open", "closed"} else set()


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


# --- presenting requests -----------------------------------------------------------------------

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


def _service_request(row: Any, policy: Policy) -> ServiceRequest:
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
