"""Every event type the credit service declares has its model, and the schemas made from the
models refuse what consumers must never see: an unknown grade, a score out of bounds, a reason
that does not say whether it is public, a field no one declared."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from qgov_credit import SERVICE
from qgov_credit.events import GradeChanged, Reason
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import Contracts, ContractViolation

ENTERPRISE = credit_code(1)
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
REASON = Reason(
    record_id=7,
    kind="penalty",
    severity="general",
    points=-15,
    effective_on="2026-01-05",
    counts_until="2029-01-04",
    public=True,
)


def grade_changed(**data) -> dict:
    changed = GradeChanged(
        credit_code=ENTERPRISE,
        region_code="440200",
        previous_grade="A",
        grade="B",
        previous_score=100,
        score=85,
        rule_version="2026.1",
        cause="record:7",
        assessed_on="2026-03-02",
        reasons=(REASON,),
    )
    event = json.loads(changed.event(subject=ENTERPRISE, time=AT).to_json())
    event["data"] |= data
    return event


def test_the_service_has_a_model_for_every_credit_event_the_contracts_declare(
    contracts: Contracts,
):
    declared = {t for t in contracts.declared_event_types() if t.startswith("qgov.credit.")}

    assert {model.TYPE for model in SERVICE.event_models()} == declared
    assert len(declared) == 5


def test_an_event_made_from_its_model_passes_its_contract(contracts: Contracts):
    event = grade_changed()

    contracts.check(event)
    assert (event["source"], event["subject"]) == ("/qgov/credit", ENTERPRISE)
    assert datetime.fromisoformat(event["time"]) == AT


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"grade": "E"}, "grade"),
        ({"previous_grade": None}, "previous_grade"),
        ({"score": 101}, "score"),
        ({"previous_score": -1}, "previous_score"),
        ({"region_code": "4402"}, "region_code"),
        ({"assessed_on": "2026-02-30"}, "assessed_on"),
        ({"rule_version": ""}, "rule_version"),
        ({"reasons": [REASON.model_dump(mode="json", exclude={"public"})]}, "reasons/0"),
        ({"reasons": [REASON.model_dump(mode="json") | {"note": "x"}]}, "reasons/0"),
        ({"note": "not declared"}, "(root)"),
    ],
)
def test_the_grade_changed_contract_refuses_what_it_must(contracts: Contracts, data, field):
    with pytest.raises(ContractViolation, match=re.escape(f"data breaks its contract: {field}:")):
        contracts.check(grade_changed(**data))
