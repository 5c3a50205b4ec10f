"""The standard query parameters of EPCIS 2.0 (§8.2.7.1, SimpleEventQuery), parsed into an
`EventQuery`: every value checked and normalised the way captured events are (CBV web URIs,
canonical Digital Links), so `EQ_bizStep=shipping` and `MATCH_epc=urn:epc:id:sgtin:…` find
what was captured as `urn:epcglobal:cbv:bizstep:shipping` and as a Digital Link.

A parameter the standard does not define, or a value it cannot take, is a
`QueryParameterError` (the binding's QueryParameterException). Several values of one
parameter are separated by `|`, as the REST binding writes them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from qgov_traceability.epcis import vocabulary
from qgov_traceability.epcis.identifiers import InvalidIdentifier, canonical, pattern_prefix
from qgov_traceability.epcis.reading import MAX_IDENTIFIER, Role
from qgov_traceability.epcis.values import parse_time

MAX_VALUES = 100
ACTIONS = frozenset({"ADD", "OBSERVE", "DELETE"})
ORDER_FIELDS = {"eventTime": "event_time", "recordTime": "record_time"}
MATCHES: Mapping[str, tuple[Role, ...]] = {
    "MATCH_epc": (Role.EPC, Role.CHILD),
    "MATCH_parentID": (Role.PARENT,),
    "MATCH_inputEPC": (Role.INPUT,),
    "MATCH_outputEPC": (Role.OUTPUT,),
    "MATCH_anyEPC": (Role.EPC, Role.PARENT, Role.CHILD, Role.INPUT, Role.OUTPUT),
    "MATCH_epcClass": (Role.CLASS, Role.CHILD_CLASS),
    "MATCH_inputEPCClass": (Role.INPUT_CLASS,),
    "MATCH_outputEPCClass": (Role.OUTPUT_CLASS,),
    "MATCH_anyEPCClass": (Role.CLASS, Role.CHILD_CLASS, Role.INPUT_CLASS, Role.OUTPUT_CLASS),
}
TIMES = {
    "GE_eventTime": "event_time_from",
    "LT_eventTime": "event_time_before",
    "GE_recordTime": "record_time_from",
    "LT_recordTime": "record_time_before",
    "GE_errorDeclarationTime": "declared_from",
    "LT_errorDeclarationTime": "declared_before",
}
TERMS = {
    "EQ_bizStep": ("biz_steps", vocabulary.BIZ_STEP),
    "EQ_disposition": ("dispositions", vocabulary.DISPOSITION),
    "EQ_errorReason": ("error_reasons", vocabulary.ERROR_REASON),
}
PLACES = {"EQ_readPoint": "read_points", "EQ_bizLocation": "biz_locations"}
FLAGS = {"EXISTS_errorDeclaration", "includeCorrectedEvents"}
LIMITS = {"eventCountLimit", "maxEventCount", "perPage"}
OTHERS = {"EQ_action", "EQ_eventID", "EQ_type", "EQ_correctiveEventID", "orderBy"}
PAGING = {"orderDirection", "nextPageToken"}
PARAMETERS = frozenset(
    set(MATCHES) | set(TIMES) | set(TERMS) | set(PLACES) | FLAGS | LIMITS | OTHERS | PAGING
)
"""Every parameter `parse_query` knows; a named query stores those of `QUERY_PARAMETERS`."""
QUERY_PARAMETERS = PARAMETERS - PAGING - {"perPage"}


class QueryParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Match:
    """Identifiers in some roles: exact canonical URIs, and prefixes (from EPC patterns)."""

    roles: tuple[Role, ...]
    uris: tuple[str, ...]
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class EventQuery:
    event_time_from: datetime | None = None
    event_time_before: datetime | None = None
    record_time_from: datetime | None = None
    record_time_before: datetime | None = None
    declared_from: datetime | None = None
    declared_before: datetime | None = None
    actions: tuple[str, ...] = ()
    biz_steps: tuple[str, ...] = ()
    dispositions: tuple[str, ...] = ()
    error_reasons: tuple[str, ...] = ()
    read_points: tuple[str, ...] = ()
    biz_locations: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    corrective_event_ids: tuple[str, ...] = ()
    matches: tuple[Match, ...] = ()
    only_declared: bool = False
    include_corrected: bool = True
    order_by: str = "event_time"
    descending: bool = True
    event_count_limit: int | None = None
    max_event_count: int | None = None
    per_page: int | None = None
    next_page_token: str | None = None
    named: dict[str, str] = field(default_factory=dict)
    """The parameters as given (for storing a named query)."""


def parse_query(params: Mapping[str, str], *, max_per_page: int) -> EventQuery:
    """`params` (one value per name) as a query; `QueryParameterError` names the first bad one."""
    values: dict[str, object] = {
        "named": {k: v for k, v in params.items() if k in QUERY_PARAMETERS}
    }
    matches = []
    for name, raw in params.items():
        if name not in PARAMETERS:
            raise QueryParameterError(name, f"{name} is not a query parameter of EPCIS 2.0")
        if name in MATCHES:
            matches.append(_match(name, raw))
        elif name in TIMES:
            values[TIMES[name]] = _time(name, raw)
        elif name in TERMS:
            attribute, term = TERMS[name]
            values[attribute] = tuple(
                _bounded(name, vocabulary.cbv_uri(v, term)) for v in _split(name, raw)
            )
        elif name in PLACES:
            values[PLACES[name]] = tuple(_identifier(name, v) for v in _split(name, raw))
        else:
            values.update(_other(name, raw, max_per_page))
    return EventQuery(matches=tuple(matches), **values)


def _other(name: str, raw: str, max_per_page: int) -> dict[str, object]:
    if name == "EQ_action":
        actions = _split(name, raw)
        if unknown := sorted(set(actions) - ACTIONS):
            raise QueryParameterError(
                name, f"unknown action {unknown[0]!r}; ADD, OBSERVE or DELETE"
            )
        return {"actions": actions}
    if name in ("EQ_eventID", "EQ_type", "EQ_correctiveEventID"):
        attribute = {"EQ_eventID": "event_ids", "EQ_type": "types"}.get(
            name, "corrective_event_ids"
        )
        return {attribute: tuple(_bounded(name, v) for v in _split(name, raw))}
    if name == "EXISTS_errorDeclaration":
        return {"only_declared": True}
    if name == "includeCorrectedEvents":
        return {"include_corrected": _boolean(name, raw)}
    if name == "orderBy":
        if raw not in ORDER_FIELDS:
            raise QueryParameterError(name, "orderBy is eventTime or recordTime")
        return {"order_by": ORDER_FIELDS[raw]}
    if name == "orderDirection":
        if raw not in ("ASC", "DESC"):
            raise QueryParameterError(name, "orderDirection is ASC or DESC")
        return {"descending": raw == "DESC"}
    if name == "nextPageToken":
        return {"next_page_token": _bounded(name, raw)}
    ceiling = max_per_page if name == "perPage" else 1_000_000
    attribute = {"eventCountLimit": "event_count_limit", "maxEventCount": "max_event_count"}
    return {attribute.get(name, "per_page"): _count(name, raw, ceiling)}


def _split(name: str, raw: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in raw.split("|"))
    if not all(values) or len(values) > MAX_VALUES:
        raise QueryParameterError(name, f"{name} takes 1 to {MAX_VALUES} values separated by |")
    return values


def _bounded(name: str, value: str) -> str:
    if not value or len(value) > MAX_IDENTIFIER:
        raise QueryParameterError(name, f"a value of {name} has 1 to {MAX_IDENTIFIER} characters")
    return value


def _identifier(name: str, value: str) -> str:
    try:
        return _bounded(name, canonical(value))
    except InvalidIdentifier as error:
        raise QueryParameterError(name, str(error)) from error


def _match(name: str, raw: str) -> Match:
    uris, prefixes = [], []
    for value in _split(name, raw):
        prefix = _pattern(name, value)
        if prefix is not None:
            prefixes.append(prefix)
            uris.append(prefix.removesuffix("/"))  # the pattern's own product or class
        else:
            uris.append(_identifier(name, value))
    return Match(MATCHES[name], tuple(uris), tuple(prefixes))


def _pattern(name: str, value: str) -> str | None:
    try:
        return pattern_prefix(value)
    except InvalidIdentifier as error:
        raise QueryParameterError(name, str(error)) from error


def _time(name: str, raw: str) -> datetime:
    try:
        return parse_time(raw)
    except ValueError as error:
        raise QueryParameterError(
            name, f"{name} is an RFC 3339 date-time with an offset"
        ) from error


def _boolean(name: str, raw: str) -> bool:
    if raw not in ("true", "false"):
        raise QueryParameterError(name, f"{name} is true or false")
    return raw == "true"


def _count(name: str, raw: str, ceiling: int) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9) or not 1 <= int(raw) <= ceiling:
        raise QueryParameterError(name, f"{name} is a whole number from 1 to {ceiling}")
    return int(raw)
