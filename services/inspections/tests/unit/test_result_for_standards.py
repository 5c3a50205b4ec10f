"""The standards service reads `inspection.result_final` through its own model
(`qgov_standards.inspections.InspectionResult`): the committed schema of the event must carry
every field that model reads, with the types it expects. Read from the contract, not from
standards' package, which this service may not import."""

from __future__ import annotations

from qgov_shared.envelope import schema_uri
from qgov_shared.testing.contracts import Contracts

RESULT_FINAL = "qgov.inspections.inspection.result_final.v1"
STANDARDS_READS = {
    "inspection_id": "string",
    "credit_code": "string",
    "declaration_id": "integer",
    "product_name": "string",
    "standard_number": "string",
    "outcome": "string",
    "failing_indicators": "array",
    "findings": "array",
    "decided_on": "string",
}
STANDARDS_REQUIRES = {"inspection_id", "credit_code", "outcome", "decided_on"}


def _types(prop: dict, schema: dict) -> set[str]:
    """The JSON types a property allows (an optional field is `anyOf` its type and null)."""
    if "$ref" in prop:
        return _types(schema["$defs"][prop["$ref"].rsplit("/", 1)[-1]], schema)
    if "anyOf" in prop:
        return {t for option in prop["anyOf"] for t in _types(option, schema)}
    return {prop["type"]}


def test_the_final_result_carries_every_field_standards_reads(contracts: Contracts):
    schema = contracts.schemas[schema_uri(RESULT_FINAL)]
    properties = schema["properties"]
    for name, json_type in STANDARDS_READS.items():
        assert json_type in _types(properties[name], schema), name
    assert set(schema["required"]) >= STANDARDS_REQUIRES
    outcome = schema["$defs"]["Outcome"]["enum"]
    assert outcome == ["passed", "failed", "standard_not_executed"]
    indicator = schema["$defs"]["FailingIndicator"]["properties"]
    assert set(indicator) == {"name", "measured", "unit", "required"}
    assert schema["$defs"]["FailingIndicator"]["required"] == ["name"]
    assert properties["credit_code"]["pattern"]
    assert properties["decided_on"]["format"] == "date"
