"""The gateway reads other services' events through its own models (`qgov_gateway.contracts`);
these tests hold each model to the producer's contract in `contracts/`, so a producer's change
that would break the read model fails here rather than in production: every projected type is
declared, every field read is sent (and required and non-null when the gateway needs it), and
every vocabulary the gateway counts by is the producer's enum, value for value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pytest
from pydantic import BaseModel
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from qgov_gateway.projections import PROJECTIONS
from qgov_gateway.projections.base import EventView
from qgov_shared.envelope import schema_uri
from qgov_shared.testing.contracts import Contracts

if TYPE_CHECKING:
    from referencing._core import Resolver


@dataclass(frozen=True)
class Node:
    """A subschema with the resolver of the document it sits in, so its `$ref`s resolve."""

    schema: Any
    resolver: Resolver

    def followed(self) -> Node:
        node = self
        while isinstance(node.schema, dict) and "$ref" in node.schema:
            resolved = node.resolver.lookup(node.schema["$ref"])
            node = Node(resolved.contents, resolved.resolver)
        return node

    def parts(self, keyword: str) -> list[Node]:
        return [Node(part, self.resolver) for part in self.schema.get(keyword, [])]

    def alternatives(self) -> list[Node]:
        """The branches of an `anyOf`/`oneOf`, but for one that only allows null."""
        return [
            part
            for part in self.parts("anyOf") + self.parts("oneOf")
            if part.followed().schema != {"type": "null"}
        ]


def root(schemas: dict[str, dict], uri: str) -> Node:
    resources = (
        (key, Resource.from_contents(schema, default_specification=DRAFT202012))
        for key, schema in schemas.items()
    )
    resolved = Registry().with_resources(resources).resolver().lookup(uri)
    return Node(resolved.contents, resolved.resolver)


def view_schema(model: type[BaseModel]) -> Node:
    uri = f"urn:qgov:gateway-view:{model.__name__}"
    return root({uri: model.model_json_schema()}, uri)


def fields(node: Node) -> tuple[dict[str, Node], set[str]]:
    """An object schema's properties, those of its `allOf` parts included, and which are
    required."""
    node = node.followed()
    found = {
        name: Node(sub, node.resolver) for name, sub in node.schema.get("properties", {}).items()
    }
    required = set(node.schema.get("required", []))
    for part in node.parts("allOf"):
        more, more_required = fields(part)
        found = more | found
        required |= more_required
    return found, required


def choices(node: Node) -> set[Any] | None:
    """The values an enum-like schema allows (null aside); None when it allows any."""
    schema = (node := node.followed()).schema
    if "enum" in schema:
        return set(schema["enum"]) - {None}
    if "const" in schema:
        return {schema["const"]} - {None}
    found = [choices(part) for part in node.alternatives()]
    if found and None not in found:
        return set().union(*found)
    return None


def json_types(node: Node) -> set[str] | None:
    """The JSON types a schema allows (null aside); None when it does not say."""
    schema = (node := node.followed()).schema
    if "type" in schema:
        declared = schema["type"]
        return ({declared} if isinstance(declared, str) else set(declared)) - {"null"}
    found = [json_types(part) for part in node.alternatives()]
    if found and None not in found:
        return set().union(*found)
    return None


def nullable(node: Node) -> bool:
    schema = (node := node.followed()).schema
    if "type" in schema:
        declared = schema["type"]
        return declared == "null" or (isinstance(declared, list) and "null" in declared)
    if "enum" in schema:
        return None in schema["enum"]
    if "const" in schema:
        return schema["const"] is None
    if "anyOf" in schema or "oneOf" in schema:
        return any(nullable(part) for part in node.parts("anyOf") + node.parts("oneOf"))
    return not schema.get("allOf") or all(nullable(part) for part in node.parts("allOf"))


def mismatches(read: Node, sent: Node, where: str) -> list[str]:
    """How what the gateway reads (`read`, an object schema) fails what the producer sends."""
    wanted, wanted_required = fields(read)
    offered, offered_required = fields(sent)
    problems = []
    for name, field in wanted.items():
        place = f"{where}.{name}"
        if name not in offered:
            problems.append(f"{place}: read, but not in the producer's schema")
            continue
        if name in wanted_required and name not in offered_required:
            problems.append(f"{place}: required here, but the producer may leave it out")
        if nullable(offered[name]) and not nullable(field):
            problems.append(f"{place}: the producer may send null, read as never null")
        problems += value_mismatches(field, offered[name], place)
    return problems


def value_mismatches(read: Node, sent: Node, where: str) -> list[str]:
    problems = []
    ours = choices(read)
    if ours is not None and ours != (theirs := choices(sent)):
        said = "no enum" if theirs is None else sorted(theirs)
        problems.append(f"{where}: read as {sorted(ours)}, the producer's enum is {said}")
    ours_types, their_types = json_types(read), json_types(sent)
    if ours_types is not None and their_types is not None:
        accepted = ours_types | ({"integer"} if "number" in ours_types else set())
        if not their_types <= accepted:
            problems.append(
                f"{where}: the producer sends {sorted(their_types)}, read as {sorted(ours_types)}"
            )
    read, sent = read.followed(), sent.followed()
    if "properties" in read.schema:
        problems += mismatches(read, sent, where)
    if "items" in read.schema:
        if "items" not in sent.schema:
            problems.append(f"{where}: read as a list, the producer's schema has no items")
        else:
            problems += value_mismatches(
                Node(read.schema["items"], read.resolver),
                Node(sent.schema["items"], sent.resolver),
                f"{where}[]",
            )
    return problems


def read_as_contracted(contracts: Contracts, event_type: str, view: type[EventView]) -> list[str]:
    sent = root(contracts.schemas, schema_uri(event_type))
    return mismatches(view_schema(view), sent, event_type)


# --- the gateway's projections against the committed contracts ----------------------------


def test_every_projected_type_is_declared_with_a_gateway_receive_operation(
    contracts: Contracts,
) -> None:
    asyncapi = contracts.asyncapi
    messages = {message["name"]: key for key, message in asyncapi["components"]["messages"].items()}
    read_channels = {
        operation["channel"]["$ref"].removeprefix("#/channels/")
        for name, operation in asyncapi["operations"].items()
        if operation["action"] == "receive" and name.startswith("gatewayReads")
    }
    for event_type in PROJECTIONS:
        assert event_type in messages, f"{event_type} is not declared in asyncapi.yaml"
        assert schema_uri(event_type) in contracts.schemas, f"{event_type} has no schema"
        reference = {"$ref": f"#/components/messages/{messages[event_type]}"}
        channels = {
            name
            for name, channel in asyncapi["channels"].items()
            if reference in channel.get("messages", {}).values()
        }
        assert channels & read_channels, f"no gatewayReads operation receives {event_type}"


def test_every_projection_reads_only_what_its_producer_sends(contracts: Contracts) -> None:
    problems = [
        problem
        for event_type, projection in PROJECTIONS.items()
        for problem in read_as_contracted(contracts, event_type, projection.reads)
    ]
    assert problems == []


# --- the check itself: each way a producer could part from the gateway is caught -----------

PRODUCER = "urn:qgov:schema:qgov.test.thing.happened.v1"
PRODUCER_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": PRODUCER,
    "type": "object",
    "required": ["code", "grade", "score", "parts"],
    "properties": {
        "code": {"type": "string"},
        "grade": {"$ref": "#/$defs/grade"},
        "score": {"type": "integer"},
        "note": {"type": ["string", "null"]},
        "parts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
            },
        },
    },
    "$defs": {"grade": {"enum": ["A", "B"]}},
}


class Part(BaseModel):
    id: int


class Faithful(EventView):
    code: str
    grade: Literal["A", "B"]
    score: float
    note: str | None = None
    parts: list[Part]


class Unsent(EventView):
    colour: str


class RequiresOptional(EventView):
    note: str | None


class NeverNull(EventView):
    note: str = ""


class OtherGrades(EventView):
    grade: Literal["A", "B", "C"]


class VocabularyOnAFreeString(EventView):
    code: Literal["x"]


class ScoreAsText(EventView):
    score: str


class UnsentPartField(EventView):
    parts: list[Part2]


class Part2(BaseModel):
    id: int
    size: int


UnsentPartField.model_rebuild()


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (Faithful, None),
        (Unsent, "colour: read, but not in the producer's schema"),
        (RequiresOptional, "note: required here, but the producer may leave it out"),
        (NeverNull, "note: the producer may send null, read as never null"),
        (OtherGrades, "grade: read as ['A', 'B', 'C'], the producer's enum is ['A', 'B']"),
        (VocabularyOnAFreeString, "code: read as ['x'], the producer's enum is no enum"),
        (ScoreAsText, "score: the producer sends ['integer'], read as ['string']"),
        (UnsentPartField, "parts[].size: read, but not in the producer's schema"),
    ],
)
def test_each_way_of_parting_from_the_producer_is_caught(
    view: type[EventView], problem: str | None
) -> None:
    found = mismatches(view_schema(view), root({PRODUCER: PRODUCER_SCHEMA}, PRODUCER), "t")
    assert found == ([] if problem is None else [f"t.{problem}"])
