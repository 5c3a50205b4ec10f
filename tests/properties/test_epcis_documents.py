"""EPCIS documents and events from capturing clients: whatever JSON arrives, validation and
reading give errors to report or an event to keep, never an exception a capture would turn
into a 500. The schema is GS1's, loaded as the service loads it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_traceability.dependencies import DEFAULT_SCHEMA
from qgov_traceability.epcis.event_hash import namespaces_of
from qgov_traceability.epcis.reading import EventRejected, read_event
from qgov_traceability.epcis.schema import EpcisSchema

PROPERTIES = settings(max_examples=80, deadline=None, derandomize=True, database=None)
SCHEMA = EpcisSchema.load(DEFAULT_SCHEMA)
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
_FIELDS = [
    "type",
    "eventTime",
    "eventTimeZoneOffset",
    "action",
    "epcList",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "parentID",
    "childEPCs",
    "eventID",
    "quantityList",
    "sourceList",
    "destinationList",
    "errorDeclaration",
    "@context",
    "inputEPCList",
    "outputEPCList",
    "sensorElementList",
    "ilmd",
    "certificationInfo",
]
_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "ObjectEvent",
            "AggregationEvent",
            "TransformationEvent",
            "ADD",
            "DELETE",
            "2026-11-02T09:00:00Z",
            "2026-13-45T99:00:00+25:00",
            "+08:00",
            "urn:epc:id:sgtin:6901234.012345.1",
            "urn:epc:id:sgln:6901234.00001.0",
            "https://id.gs1.org/01/06901234123457/21/9",
            "shipping",
            "in_transit",
        ]
    ),
)
_json = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.one_of(st.sampled_from(_FIELDS), st.text(max_size=8)), inner, max_size=6
        )
    ),
    max_leaves=25,
)
_VALID = {
    "type": "ObjectEvent",
    "eventTime": "2026-11-02T09:00:00Z",
    "eventTimeZoneOffset": "+08:00",
    "action": "OBSERVE",
    "epcList": ["urn:epc:id:sgtin:6901234.012345.1"],
    "bizStep": "shipping",
    "readPoint": {"id": "urn:epc:id:sgln:6901234.00001.0"},
}
# Random objects rarely pass the schema, so most cases are a valid event with fields changed:
# those reach the reading that follows validation.
_events = st.one_of(
    st.dictionaries(st.sampled_from(_FIELDS), _json, max_size=10),
    st.builds(
        lambda changes: {**_VALID, **changes},
        st.dictionaries(st.sampled_from(_FIELDS), _json, min_size=1, max_size=3),
    ),
)


def _checked(event) -> list[str]:
    """What a capture does with one event of a document: its schema errors, else reading it."""
    errors = SCHEMA.event_errors(event)
    if errors:
        return errors
    try:
        read = read_event(event, namespaces_of(CONTEXT))
    except EventRejected as rejection:
        return [str(rejection)]
    json.dumps(read.document)  # what is kept must be storable as JSON
    return []


@PROPERTIES
@given(st.one_of(_events, _json))
def test_any_event_is_kept_or_refused_with_a_reason(event) -> None:
    errors = _checked(event)
    assert all(isinstance(error, str) and error for error in errors)


def test_the_valid_event_is_kept() -> None:
    assert _checked(_VALID) == []


@PROPERTIES
@given(
    st.one_of(
        _json,
        st.builds(
            lambda body: {
                "@context": CONTEXT,
                "type": "EPCISDocument",
                "schemaVersion": "2.0",
                "creationDate": "2026-11-02T09:00:00Z",
                "epcisBody": body,
            },
            _json,
        ),
    )
)
def test_any_document_is_judged_without_an_exception(document) -> None:
    errors = SCHEMA.document_errors(document)
    assert all(isinstance(error, str) and error for error in errors)
    assert errors or isinstance(document["epcisBody"]["eventList"], list)


@PROPERTIES
@given(st.one_of(_events, _json))
def test_any_bare_event_is_judged_without_an_exception(event) -> None:
    errors = SCHEMA.single_event_errors(event)
    assert all(isinstance(error, str) and error for error in errors)
