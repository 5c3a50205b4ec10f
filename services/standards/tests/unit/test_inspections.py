"""Our model of the inspections service's final result: what it must carry, what it may, and
how a failing indicator reads as a finding."""

from __future__ import annotations

import pydantic
import pytest

from qgov_shared.testing.codes import credit_code
from qgov_standards.inspections import FINDING_LENGTH, FailingIndicator, InspectionResult
from qgov_standards.supervision import INSPECTION_OUTCOMES, Outcome

RESULT = {
    "inspection_id": "CC-2026-0001",
    "credit_code": credit_code(1).lower(),
    "standard_number": "GB 19644-2010",
    "outcome": "failed",
    "failing_indicators": [{"name": "铅", "measured": "0.8", "unit": "mg/kg"}],
    "decided_on": "2026-10-30",
    "laboratory": "a field we do not know",
}


def test_a_result_is_read_ignoring_fields_it_does_not_know():
    result = InspectionResult.model_validate(RESULT)

    assert result.credit_code == credit_code(1)
    assert (result.declaration_id, result.product_name) == (None, None)
    assert [i.finding() for i in result.failing_indicators] == ["铅；实测 0.8 mg/kg"]


@pytest.mark.parametrize("missing", ["inspection_id", "credit_code", "outcome", "decided_on"])
def test_a_result_without_what_it_must_carry_is_refused(missing):
    with pytest.raises(pydantic.ValidationError):
        InspectionResult.model_validate({k: v for k, v in RESULT.items() if k != missing})


def test_each_inspection_outcome_is_a_check_outcome():
    assert INSPECTION_OUTCOMES == {
        "passed": Outcome.COMPLIANT,
        "failed": Outcome.NON_COMPLIANT,
        "standard_not_executed": Outcome.NOT_EXECUTED,
    }


def test_a_finding_fits_what_a_check_keeps():
    long = FailingIndicator(name="铅" * 200, measured="9" * 64, unit="u" * 32, required="≤" * 200)

    assert len(long.finding()) == FINDING_LENGTH
