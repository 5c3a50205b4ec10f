"""Reading a (schema-valid) EPCIS event into what the repository stores and indexes: its ID
(given, or the standard event hash), its time, its canonical CBV terms and identifiers by the
role each plays, the links it adds to the trace graph, and its error declaration."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum
from typing import Any

from qgov_traceability.epcis import vocabulary
from qgov_traceability.epcis.event_hash import event_hash
from qgov_traceability.epcis.identifiers import InvalidIdentifier, canonical, gtin_of, lot_uri
from qgov_traceability.epcis.values import parse_time
from qgov_traceability.epcis.vocabulary import cbv_uri

MAX_IDENTIFIER = 512
LOT_NUMBER = "urn:epcglobal:cbv:mda:lotNumber"
EVENT_TYPES = ("Object", "Aggregation", "Transaction", "Transformation", "Association")
STANDARD_TYPES = tuple(f"{kind}Event" for kind in EVENT_TYPES)


class Role(IntEnum):
    """The part an identifier plays in an event (what MATCH_* query parameters select)."""

    EPC = 1
    PARENT = 2
    CHILD = 3
    INPUT = 4
    OUTPUT = 5
    CLASS = 6
    CHILD_CLASS = 7
    INPUT_CLASS = 8
    OUTPUT_CLASS = 9


class EdgeKind(IntEnum):
    """A trace-graph edge. Object edges point downstream (a child into its container, an
    input into a transformation, a transformation to its output, a lot to its items); place
    edges tie an object to where it was and to whom it went."""

    AGGREGATION = 1
    ASSOCIATION = 2
    TRANSFORMATION_INPUT = 3
    TRANSFORMATION_OUTPUT = 4
    LOT_MEMBER = 5
    READ_POINT = 10
    BIZ_LOCATION = 11
    SOURCE = 12
    DESTINATION = 13


OBJECT_EDGES = tuple(kind for kind in EdgeKind if kind < EdgeKind.READ_POINT)
PLACE_EDGES = (EdgeKind.READ_POINT, EdgeKind.BIZ_LOCATION, EdgeKind.SOURCE, EdgeKind.DESTINATION)
CONTAINMENT = (EdgeKind.AGGREGATION, EdgeKind.ASSOCIATION)


class EventRejected(ValueError):
    """The event is valid JSON Schema but cannot be taken: a malformed identifier or time."""


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    kind: EdgeKind


@dataclass(frozen=True)
class ErrorDeclaration:
    declared_at: datetime
    reason: str | None
    corrective_event_ids: tuple[str, ...]


@dataclass(frozen=True)
class ReadEvent:
    event_id: str
    event_type: str
    event_time: datetime
    time_zone_offset: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    identifiers: tuple[tuple[Role, str], ...]
    links: tuple[Link, ...]
    document: dict[str, Any]
    """The event as captured, with its eventID (the hash when it came without one)."""
    error_declaration: ErrorDeclaration | None = None
    released: tuple[str, ...] | None = None
    """For a DELETE aggregation or association: the children it takes out of the parent
    (empty: all of them); None for every other event."""
    parent: str | None = None
    places: tuple[str, ...] = ()

    @property
    def uris(self) -> set[str]:
        """Every identifier the event names: objects, places, parties."""
        named = {uri for _, uri in self.identifiers} | set(self.places)
        return named | {u for link in self.links for u in (link.source, link.target)}


def read_event(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> ReadEvent:
    """What the repository keeps of `event`; `EventRejected` says why it cannot be kept."""
    try:
        return _read(event, namespaces)
    except (InvalidIdentifier, ValueError, TypeError, KeyError) as error:
        raise EventRejected(str(error) or type(error).__name__) from error


def _read(event: Mapping[str, Any], namespaces: Mapping[str, str]) -> ReadEvent:
    event_type = str(event["type"])
    event_id = str(event.get("eventID") or event_hash(event, namespaces))
    if len(event_id) > MAX_IDENTIFIER or len(event_type) > 200:
        raise ValueError("the eventID or type is too long")
    identifiers = tuple(_identifiers(event))
    read_point, biz_location = _place(event.get("readPoint")), _place(event.get("bizLocation"))
    sources = _parties(event.get("sourceList"), "source")
    destinations = _parties(event.get("destinationList"), "destination")
    places = tuple(p for p in (read_point, biz_location) if p) + sources + destinations
    action = event.get("action")
    links = ()
    if event_type in STANDARD_TYPES:
        links = tuple(_links(event_type, event, identifiers, event_id, namespaces, action)) + tuple(
            _place_links(identifiers, read_point, biz_location, sources, destinations)
        )
    parent = _optional_id(event.get("parentID"))
    releases = action == "DELETE" and event_type in ("AggregationEvent", "AssociationEvent")
    return ReadEvent(
        event_id=event_id,
        event_type=event_type,
        event_time=parse_time(str(event["eventTime"])),
        time_zone_offset=str(event["eventTimeZoneOffset"]),
        action=action,
        biz_step=_term(event.get("bizStep"), vocabulary.BIZ_STEP),
        disposition=_term(event.get("disposition"), vocabulary.DISPOSITION),
        read_point=read_point,
        biz_location=biz_location,
        identifiers=identifiers,
        links=() if releases else links,
        document={**event, "eventID": event_id},
        error_declaration=_declaration(event.get("errorDeclaration")),
        released=tuple(u for r, u in identifiers if r is Role.CHILD) if releases else None,
        parent=parent,
        places=places,
    )


def identifier(value: Any) -> str:
    uri = canonical(str(value))
    if not uri or len(uri) > MAX_IDENTIFIER:
        raise ValueError(f"an identifier must have 1 to {MAX_IDENTIFIER} characters")
    return uri


def _optional_id(value: Any) -> str | None:
    return identifier(value) if value is not None else None


def _identifiers(event: Mapping[str, Any]) -> Iterator[tuple[Role, str]]:
    for name, role in (
        ("epcList", Role.EPC),
        ("childEPCs", Role.CHILD),
        ("inputEPCList", Role.INPUT),
        ("outputEPCList", Role.OUTPUT),
    ):
        for epc in event.get(name) or []:
            yield role, identifier(epc)
    if event.get("parentID") is not None:
        yield Role.PARENT, identifier(event["parentID"])
    for name, role in (
        ("quantityList", Role.CLASS),
        ("childQuantityList", Role.CHILD_CLASS),
        ("inputQuantityList", Role.INPUT_CLASS),
        ("outputQuantityList", Role.OUTPUT_CLASS),
    ):
        for element in event.get(name) or []:
            yield role, identifier(element["epcClass"])


def _links(
    event_type: str,
    event: Mapping[str, Any],
    identifiers: tuple[tuple[Role, str], ...],
    event_id: str,
    namespaces: Mapping[str, str],
    action: str | None,
) -> Iterator[Link]:
    by_role: dict[Role, list[str]] = {}
    for role, uri in identifiers:
        by_role.setdefault(role, []).append(uri)
    if event_type in ("AggregationEvent", "AssociationEvent"):
        kind = EdgeKind.AGGREGATION if event_type == "AggregationEvent" else EdgeKind.ASSOCIATION
        parent = by_role.get(Role.PARENT, [None])[0]
        if parent is not None:
            for child in by_role.get(Role.CHILD, []) + by_role.get(Role.CHILD_CLASS, []):
                yield Link(child, parent, kind)
    elif event_type == "TransformationEvent":
        step = transformation_node(event.get("transformationID"), event_id)
        for source in by_role.get(Role.INPUT, []) + by_role.get(Role.INPUT_CLASS, []):
            yield Link(source, step, EdgeKind.TRANSFORMATION_INPUT)
        for output in by_role.get(Role.OUTPUT, []) + by_role.get(Role.OUTPUT_CLASS, []):
            yield Link(step, output, EdgeKind.TRANSFORMATION_OUTPUT)
    elif event_type == "ObjectEvent" and action == "ADD":
        yield from _lot_members(event, by_role.get(Role.EPC, []), namespaces)


def transformation_node(transformation_id: Any, event_id: str) -> str:
    """The node standing for a transformation: its transformationID links the events that
    together record it; without one, the event is the whole transformation."""
    name = identifier(transformation_id) if transformation_id else event_id
    return f"urn:qgov:transformation:{name}"


def _lot_members(
    event: Mapping[str, Any], items: list[str], namespaces: Mapping[str, str]
) -> Iterator[Link]:
    """Items commissioned with a lot number in their ILMD belong to that lot."""
    ilmd = event.get("ilmd")
    if not isinstance(ilmd, dict):
        return
    lot = next(
        (str(v).strip() for k, v in ilmd.items() if vocabulary.expand(k, namespaces) == LOT_NUMBER),
        None,
    )
    if not lot:
        return
    for item in items:
        gtin = gtin_of(item)
        if gtin is not None and "/21/" in item:
            yield Link(identifier(lot_uri(gtin, lot)), item, EdgeKind.LOT_MEMBER)


def _place_links(
    identifiers: tuple[tuple[Role, str], ...],
    read_point: str | None,
    biz_location: str | None,
    sources: tuple[str, ...],
    destinations: tuple[str, ...],
) -> Iterator[Link]:
    """Where the event's objects were, and from whom and to whom they went. A
    transformation's inputs stayed where they were consumed: only its outputs travel on."""
    moved = [uri for role, uri in identifiers if role not in (Role.INPUT, Role.INPUT_CLASS)]
    for uri in dict.fromkeys(moved):
        if read_point:
            yield Link(uri, read_point, EdgeKind.READ_POINT)
        if biz_location:
            yield Link(uri, biz_location, EdgeKind.BIZ_LOCATION)
        for party in sources:
            yield Link(uri, party, EdgeKind.SOURCE)
        for party in destinations:
            yield Link(uri, party, EdgeKind.DESTINATION)


def _place(value: Any) -> str | None:
    if isinstance(value, dict) and value.get("id") is not None:
        return identifier(value["id"])
    return None


def _parties(value: Any, member: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(identifier(item[member]) for item in value or [] if isinstance(item, dict))
    )


def _term(value: Any, term: str) -> str | None:
    if value is None:
        return None
    uri = cbv_uri(str(value), term)
    if len(uri) > MAX_IDENTIFIER:
        raise ValueError(f"a vocabulary term has at most {MAX_IDENTIFIER} characters")
    return uri


def _declaration(value: Any) -> ErrorDeclaration | None:
    if not isinstance(value, dict):
        return None
    reason = value.get("reason")
    return ErrorDeclaration(
        declared_at=parse_time(str(value["declarationTime"])),
        reason=_term(reason, vocabulary.ERROR_REASON) if reason else None,
        corrective_event_ids=tuple(str(e) for e in value.get("correctiveEventIDs") or []),
    )
