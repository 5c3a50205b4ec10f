"""Supervision of self-declared standards (the policy's `supervision` rule): what a check on a
declaration can find, whoever made it — a regulator recording it here, or the inspections
service's final result of a sampling inspection (抽查), read as the same outcome. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from qgov_shared.errors import RuleViolation


class Outcome(StrEnum):
    COMPLIANT = "compliant"  # 符合
    NON_COMPLIANT = "non_compliant"  # 不符合, with findings
    NOT_EXECUTED = "not_executed"  # 未按声明的标准组织生产


class Source(StrEnum):
    REGULATOR = "regulator"
    INSPECTION = "inspection"


INSPECTION_OUTCOMES = {
    "passed": Outcome.COMPLIANT,
    "failed": Outcome.NON_COMPLIANT,
    "standard_not_executed": Outcome.NOT_EXECUTED,
}
"""An inspection's final result, as the outcome of a check on the declaration it tested."""


def check_findings(outcome: Outcome, findings: Sequence[str], failing: Sequence[str]) -> None:
    """A non-compliance names what failed; a compliant check names no failing indicator."""
    if outcome is Outcome.NON_COMPLIANT and not (findings or failing):
        raise RuleViolation("a non-compliant outcome names its findings", "findings")
    if outcome is Outcome.COMPLIANT and failing:
        raise RuleViolation("a compliant outcome has no failing indicators", "failing_indicators")
