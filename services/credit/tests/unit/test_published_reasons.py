"""A reason's published form, made directly for speed, is exactly what the `Reason` model
validates and dumps: the same fields, in the same order, with the same JSON values."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qgov_credit.domain import Record, reason_for
from qgov_credit.events import Reason, published
from qgov_credit.policy import load_policy

POLICY = load_policy()
EVERY_KIND_AND_SEVERITY = sorted(
    (kind, severity) for kind, rule in POLICY.kinds.items() for severity in rule.points
)


@pytest.mark.parametrize(("kind", "severity"), EVERY_KIND_AND_SEVERITY)
def test_a_published_reason_is_the_models_own_dump(kind, severity):
    reason = reason_for(Record(4_000_000_017, kind, severity, date(2026, 2, 28)), POLICY)

    made = published(reason, POLICY)

    expected = Reason.of(reason, POLICY).model_dump(mode="json")
    assert json.dumps(made) == json.dumps(expected)  # values and field order
    assert Reason.model_validate(made) == Reason.of(reason, POLICY)


def test_both_public_and_private_kinds_are_covered():
    assert {POLICY.kinds[kind].public for kind, _ in EVERY_KIND_AND_SEVERITY} == {True, False}
