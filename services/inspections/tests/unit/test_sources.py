"""This service reads credit's and standards' events through its own models (`sources`): each
must read what the producer's contract says it sends, and require nothing it may leave out."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from qgov_inspections.sources import (
    DECLARATION_EVENTS,
    GRADE_CHANGED,
    DeclarationView,
    GradeChangedView,
)
from qgov_shared.envelope import schema_uri
from qgov_shared.testing.contracts import Contracts

VIEWS = [(GRADE_CHANGED, GradeChangedView)] + [(t, DeclarationView) for t in DECLARATION_EVENTS]


def _required(model: type[BaseModel]) -> set[str]:
    return {name for name, field in model.model_fields.items() if field.is_required()}


@pytest.mark.parametrize(("event_type", "view"), VIEWS, ids=[t for t, _ in VIEWS])
def test_every_field_read_is_one_the_producer_must_send(
    contracts: Contracts, event_type: str, view: type[BaseModel]
):
    assert event_type in contracts.declared_event_types()
    schema = contracts.schemas[schema_uri(event_type)]
    assert _required(view) <= set(schema["required"])


def test_the_grades_read_are_credits_grades(contracts: Contracts):
    grade = contracts.schemas[schema_uri(GRADE_CHANGED)]["properties"]["grade"]
    assert grade["enum"] == ["A", "B", "C", "D"]
    assert GradeChangedView.model_fields["grade"].annotation.__args__ == ("A", "B", "C", "D")
