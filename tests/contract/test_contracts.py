"""The contracts themselves: AsyncAPI 3 conformance, and schemas that match their messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from qgov_shared.envelope import new_event, schema_uri
from qgov_shared.testing.conformance import conformance_path
from qgov_shared.testing.contracts import Contracts, ContractViolation

REPO = Path(__file__).resolve().parents[2]


def test_asyncapi_document_conforms_to_asyncapi_3(contracts: Contracts) -> None:
    # SOURCE.md: the bundled schema without $ids validates standalone, with Draft 7.
    schema = json.loads(
        conformance_path("asyncapi", "schema", "3.0.0-without-$id.json").read_text()
    )
    errors = [
        error.message
        for error in jsonschema.Draft7Validator(schema).iter_errors(contracts.asyncapi)
    ]
    assert errors == []


def test_every_event_schema_is_a_valid_schema_named_after_its_file(contracts: Contracts) -> None:
    for path in (contracts.root / "schemas").rglob("*.v*.json"):
        schema = json.loads(path.read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        service = path.parent.name
        assert schema["$id"] == schema_uri(f"qgov.{service}.{path.name.removesuffix('.json')}")


def test_every_declared_message_references_existing_schemas(contracts: Contracts) -> None:
    for name, message in contracts.asyncapi["components"]["messages"].items():
        envelope, specific = message["payload"]["allOf"]
        data_ref = specific["properties"]["data"]["$ref"]
        assert (contracts.root / envelope["$ref"]).exists(), name
        assert (contracts.root / data_ref).exists(), name
        assert specific["properties"]["type"]["const"] == message["name"]
        data_schema = json.loads((contracts.root / data_ref).read_text())
        assert data_schema["$id"] == schema_uri(message["name"])


def test_every_channel_is_a_service_topic_or_its_dead_letters(contracts: Contracts) -> None:
    for channel in contracts.asyncapi["channels"].values():
        service_topic = channel["address"].removesuffix(".dlq")
        assert re.fullmatch(r"qgov\.[a-z]+", service_topic), channel["address"]


def test_a_conforming_event_passes_and_a_broken_one_is_caught(contracts: Contracts) -> None:
    good = new_event(
        "qgov.demo.ping.recorded.v1",
        source="/qgov/demo",
        subject="91350100M000100Y43",
        data={"ping_id": 1, "credit_code": "91350100M000100Y43", "message": "hello"},
    )
    contracts.check(good)

    cloudevents = json.loads(conformance_path("cloudevents", "cloudevents.json").read_text())
    jsonschema.Draft7Validator(cloudevents).validate(json.loads(good.to_json()))

    broken = json.loads(good.to_json())
    broken["data"]["ping_id"] = "one"
    with pytest.raises(ContractViolation, match="ping_id"):
        contracts.check(broken)
    undeclared = json.loads(good.to_json()) | {"type": "qgov.demo.ping.lost.v1"}
    with pytest.raises(ContractViolation, match="not declared"):
        contracts.check(undeclared)


def test_the_openapi_documents_are_current() -> None:
    from qgov_shared.devstack.contracts import openapi_documents

    for service, document in openapi_documents().items():
        committed = REPO / "contracts" / "openapi" / f"{service}.json"
        assert committed.exists(), f"run `make contracts` to write {committed}"
        assert json.loads(committed.read_text()) == document, (
            f"{committed} is stale; run `make contracts`"
        )


def test_the_event_schemas_are_made_from_the_event_models() -> None:
    from qgov_shared.devstack.contracts import event_schemas

    for relative, schema in event_schemas().items():
        committed = REPO / "contracts" / "schemas" / relative
        assert committed.exists(), f"run `make contracts` to write {committed}"
        assert json.loads(committed.read_text()) == schema, (
            f"{committed} differs from its event model; run `make contracts`"
        )
