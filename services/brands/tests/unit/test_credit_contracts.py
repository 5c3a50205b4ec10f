"""This service reads credit's events through its own models (`credit_events`): each model
must read what credit's contract says credit sends, and require nothing credit may leave out."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from qgov_brands.credit_events import (
    DELISTED,
    GRADE_CHANGED,
    LISTED,
    RECORD_ADDED,
    DelistedView,
    GradeChangedView,
    ListedView,
    ReasonView,
    RecordAddedView,
)
from qgov_shared.envelope import schema_uri
from qgov_shared.testing.contracts import Contracts

VIEWS = [
    (GRADE_CHANGED, GradeChangedView),
    (LISTED, ListedView),
    (DELISTED, DelistedView),
    (RECORD_ADDED, RecordAddedView),
]


def _required(model: type[BaseModel]) -> set[str]:
    return {name for name, field in model.model_fields.items() if field.is_required()}


@pytest.mark.parametrize(("event_type", "view"), VIEWS, ids=[t for t, _ in VIEWS])
def test_every_field_read_is_one_credit_must_send(
    contracts: Contracts, event_type: str, view: type[BaseModel]
):
    assert event_type in contracts.declared_event_types()
    schema = contracts.schemas[schema_uri(event_type)]
    assert _required(view) <= set(schema["required"])


def test_a_grade_changes_reasons_carry_what_the_exclusions_read(contracts: Contracts):
    reason = contracts.schemas[schema_uri(GRADE_CHANGED)]["$defs"]["Reason"]
    assert _required(ReasonView) <= set(reason["required"])
    grades = contracts.schemas[schema_uri(GRADE_CHANGED)]["properties"]["grade"]["enum"]
    assert grades == ["A", "B", "C", "D"]
