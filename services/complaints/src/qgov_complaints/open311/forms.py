"""Filing by form: a GeoReport v2 POST (the standard fields and `attribute[code]=value`) read
into a `ComplaintCreate` and where it happened, or a 400 naming each bad form field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

from fastapi import Request
from pydantic import ValidationError

from qgov_complaints.domain import RuleViolation
from qgov_complaints.open311.attributes import ATTRIBUTES_BY_CODE, FIELD_FOR_TARGET
from qgov_complaints.open311.services import check_service_code
from qgov_complaints.policy import Policy
from qgov_complaints.schemas import ComplaintCreate
from qgov_shared.http.problems import ProblemException

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"

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
FORM_SCHEMA = {
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


async def read_form(request: Request) -> list[tuple[str, str]]:
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
    check_service_code(service_code, policy, where="form")
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
        if code not in ATTRIBUTES_BY_CODE
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
        attribute = ATTRIBUTES_BY_CODE[code]
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
        if target in FIELD_FOR_TARGET:
            return FIELD_FOR_TARGET[target]
    return ".".join(str(part) for part in loc)


def rule_problem(violation: RuleViolation) -> ProblemException:
    if violation.field is None:
        return ProblemException(400, str(violation))
    field_name = FIELD_FOR_TARGET.get(tuple(violation.field.split(".")), violation.field)
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
