import json
import re
import uuid
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import ValidationError

from qgov_shared.envelope import CONTENT_TYPE, CloudEvent, new_event, schema_uri, topic_for
from qgov_shared.testing.conformance import conformance_path

PING_RECORDED = "qgov.demo.ping.recorded.v1"
CREDIT_CODE = "91350100M000100Y43"

# RFC 3339 `date-time` (section 5.6), the profile CloudEvents asks for.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _format_checker() -> FormatChecker:
    """Draft-07 formats the schema uses; jsonschema only checks `uri`, `uri-reference` and
    `date-time` when optional packages are installed, so they are spelled out here instead of
    silently passing."""
    checker = FormatChecker()

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        if not isinstance(value, str) or not _RFC3339.match(value):
            return False
        datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
        return True

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or bool(
            _SCHEME.match(value) and _URI_CHARS.match(value) and urlsplit(value).scheme
        )

    @checker.checks("uri-reference")
    def _uri_reference(value: object) -> bool:
        return not isinstance(value, str) or bool(_URI_CHARS.match(value))

    return checker


@pytest.fixture(scope="module")
def cloudevents_validator() -> Draft7Validator:
    schema = json.loads(conformance_path("cloudevents", "cloudevents.json").read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema, format_checker=_format_checker())


def _ping(**overrides) -> CloudEvent:
    values = {
        "source": "/qgov/demo",
        "subject": CREDIT_CODE,
        "data": {"ping_id": 1, "credit_code": CREDIT_CODE, "message": "你好"},
    }
    return new_event(PING_RECORDED, **{**values, **overrides})


@pytest.mark.parametrize(
    "event_type",
    [
        PING_RECORDED,
        "qgov.credit.grade.changed.v2",
        "qgov.complaints.complaint.filed.v10",
        "qgov.brands.award_programme.entry.suspended.v1",
    ],
)
def test_qgov_type_names_are_accepted(event_type):
    event = CloudEvent(type=event_type, source="/qgov/x", data={})
    assert event.type == event_type


@pytest.mark.parametrize(
    "event_type",
    [
        "",
        "qgov.demo.ping.v1",  # no action
        "qgov.demo.ping.recorded",  # no major version
        "qgov.demo.ping.recorded.1",
        "qgov.demo.ping.recorded.v",
        "qgov.Demo.ping.recorded.v1",  # upper case
        "com.example.ping.recorded.v1",  # not ours
        "qgov.demo2.ping.recorded.v1",
        "qgov.demo.ping.recorded.v1.extra",
        " qgov.demo.ping.recorded.v1",
        "qgov.demo.ping.recorded.v1\n",
    ],
)
def test_other_type_names_are_rejected(event_type):
    with pytest.raises(
        ValidationError, match=re.escape("qgov.<service>.<entity>.<action>.v<major>")
    ):
        CloudEvent(type=event_type, source="/qgov/demo", data={})
    with pytest.raises(ValueError, match="not a QGov event type"):
        topic_for(event_type)


@pytest.mark.parametrize(
    ("event_type", "topic"),
    [
        (PING_RECORDED, "qgov.demo"),
        ("qgov.credit.grade.changed.v2", "qgov.credit"),
        ("qgov.traceability.batch.recall.started.v1", "qgov.traceability"),
    ],
)
def test_the_topic_is_named_after_the_producing_service(event_type, topic):
    assert topic_for(event_type) == topic
    assert CloudEvent(type=event_type, source="/qgov/x", data={}).topic == topic


def test_the_partition_key_is_the_subject_when_there_is_one():
    assert _ping().partition_key == CREDIT_CODE


def test_the_partition_key_is_the_event_id_without_a_subject():
    first, second = _ping(subject=None), _ping(subject=None)
    assert first.partition_key == first.id
    assert second.partition_key == second.id
    assert first.partition_key != second.partition_key


def test_new_event_fills_in_the_envelope():
    event = _ping()
    assert event.specversion == "1.0"
    assert uuid.UUID(event.id)
    assert event.source == "/qgov/demo"
    assert event.datacontenttype == "application/json"
    assert event.dataschema == schema_uri(PING_RECORDED) == f"urn:qgov:schema:{PING_RECORDED}"
    assert event.time.tzinfo is not None
    assert abs((datetime.now(UTC) - event.time).total_seconds()) < 60


def test_events_are_frozen():
    event = _ping()
    with pytest.raises(ValidationError):
        event.subject = "91110000802100433B"


def test_json_round_trip_keeps_every_attribute():
    event = _ping(subject=CREDIT_CODE).model_copy(
        update={"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    )
    raw = event.to_json()
    assert CloudEvent.from_json(raw) == event
    assert CloudEvent.from_json(raw.encode()) == event
    assert json.loads(raw)["data"]["message"] == "你好"


def test_to_json_leaves_out_absent_attributes():
    body = json.loads(_ping(subject=None).to_json())
    assert "subject" not in body
    assert "traceparent" not in body
    assert set(body) == {
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "dataschema",
        "data",
    }


def test_from_json_refuses_another_spec_version():
    body = json.loads(_ping().to_json())
    body["specversion"] = "0.3"
    with pytest.raises(ValidationError):
        CloudEvent.from_json(json.dumps(body))


def test_structured_mode_content_type():
    assert CONTENT_TYPE == "application/cloudevents+json"


@pytest.mark.parametrize("subject", [CREDIT_CODE, None])
def test_to_json_validates_against_the_cloudevents_schema(cloudevents_validator, subject):
    event = _ping(subject=subject).model_copy(
        update={"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}
    )
    cloudevents_validator.validate(json.loads(event.to_json()))


@pytest.mark.parametrize(
    ("attribute", "bad_value"),
    [("time", "yesterday"), ("dataschema", "not a uri"), ("source", "has spaces"), ("id", "")],
)
def test_the_schema_check_would_catch_a_broken_envelope(
    cloudevents_validator, attribute, bad_value
):
    body = json.loads(_ping().to_json())
    body[attribute] = bad_value
    with pytest.raises(SchemaError):
        cloudevents_validator.validate(body)
