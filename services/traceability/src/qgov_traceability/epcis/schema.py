"""Validation against the EPCIS 2.0 JSON Schema (GS1's single-file schema, draft 7), read in
place from the conformance data: a document's envelope, and each of its events on its own, so
a capture can say which event failed and keep the others when the caller asks it to.

The schema's `$ref`s are inlined once when it is loaded: jsonschema resolves a reference on
every visit, which made validating one event five times slower."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from qgov_traceability.epcis.reading import STANDARD_TYPES

_DEFINITIONS = "#/definitions/"
_MESSAGE_LENGTH = 300


@dataclass(frozen=True)
class EpcisSchema:
    document: Draft7Validator
    """An EPCISDocument, judged without its events (each is judged by `event`)."""
    query_document: Draft7Validator
    """An EPCISQueryDocument (query results, which a capture also takes), without events."""
    event: Draft7Validator
    """One event of a document's event list (any type, extension types included)."""
    by_type: dict[str, Draft7Validator]
    """The same for each standard event type, chosen by its `type` rather than by the
    schema's chain of if/then, which costs as much again."""
    single_event: Draft7Validator
    """A bare event, as `POST /epcis/events` takes it (with its own `@context`)."""

    @classmethod
    def load(cls, path: Path) -> EpcisSchema:
        schema = json.loads(path.read_text(encoding="utf-8"))
        definitions = schema["definitions"]

        def inlined(name: str) -> dict[str, Any]:
            body = _inline(definitions[name], definitions, (name,))
            return {**body, "definitions": definitions}

        root = _inline({k: v for k, v in schema.items() if k != "definitions"}, definitions, ())
        return cls(
            document=Draft7Validator(inlined("epcisDocument")),
            query_document=Draft7Validator(inlined("epcisQueryDocument")),
            event=Draft7Validator(inlined("EPCIS-Document-Event")),
            by_type={name: Draft7Validator(inlined(name)) for name in STANDARD_TYPES},
            single_event=Draft7Validator({**root, "definitions": definitions}),
        )

    def document_errors(self, document: Any) -> list[str]:
        """What is wrong with the document besides its events (an empty list is valid)."""
        if not isinstance(document, dict):
            return ["an EPCIS document is a JSON object"]
        if document.get("type") == "EPCISQueryDocument":
            return _errors(self.query_document, _without_events(document, _RESULTS))
        return _errors(self.document, _without_events(document, ("epcisBody",)))

    def event_errors(self, event: Any) -> list[str]:
        kind = event.get("type") if isinstance(event, dict) else None
        validator = self.by_type.get(kind) if isinstance(kind, str) else None
        return _errors(validator or self.event, event)

    def single_event_errors(self, event: Any) -> list[str]:
        return _errors(self.single_event, event)


_RESULTS = ("epcisBody", "queryResults", "resultsBody")


def _without_events(document: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The document with an empty event list where `path` leads to one (else as it is)."""
    head, *rest = path
    inner = document.get(head)
    if not isinstance(inner, dict):
        return document
    if rest:
        return {**document, head: _without_events(inner, tuple(rest))}
    if isinstance(inner.get("eventList"), list):
        return {**document, head: {**inner, "eventList": []}}
    return document


def _errors(validator: Draft7Validator, instance: Any) -> list[str]:
    if validator.is_valid(instance):
        return []
    error = best_match(validator.iter_errors(instance))
    where = "/".join(str(part) for part in error.absolute_path) or "(the whole)"
    return [f"{where}: {error.message[:_MESSAGE_LENGTH]}"]


def _inline(node: Any, definitions: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """`node` with every lone `{"$ref": "#/definitions/x"}` replaced by x (recursive ones,
    which would never end, stay references)."""
    if isinstance(node, dict):
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith(_DEFINITIONS) and len(node) == 1:
            name = unquote(reference.removeprefix(_DEFINITIONS))
            if name not in seen and name in definitions:
                return _inline(definitions[name], definitions, (*seen, name))
            return node
        return {key: _inline(value, definitions, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, definitions, seen) for item in node]
    return node
