"""The inspections policy (`policy.toml`) loaded into values the domain uses, checked as it
loads: the legal limits, the default sampling ratio per credit grade, the grade of an enterprise
credit has not graded yet, and the catalogue of key products."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path

from qgov_inspections.draw import GRADES, check_ratios
from qgov_shared.errors import RuleViolation
from qgov_shared.policy import Table, load_toml_policy

POLICY_FILE = Path(__file__).with_name("policy.toml")
OWN_LIMITS = frozenset({"rectification_days"})
"""Limits the service sets for itself, which no provision gives a number for."""
CITED_RULES = frozenset({"double_random", "sampling_ratios", "conflict_rules", "follow_up"})
"""Rules without a number of their own that still cite their source."""


@dataclass(frozen=True)
class Limits:
    min_inspectors_per_check: int
    min_laboratories: int
    objection_days: int
    publication_working_days: int
    rectification_days: int


@dataclass(frozen=True)
class Policy:
    version: str
    limits: Limits
    default_ratios: dict[str, Decimal]
    default_grade: str
    catalogue: dict[str, str]
    basis: dict[str, str]
    """Each legal rule's source, by the rule's name."""


def load_policy(path: Path = POLICY_FILE) -> Policy:
    return load_toml_policy(path, _parse)


def _parse(raw: Table) -> Policy:
    limits = Limits(**raw["limits"])
    if bad := [f.name for f in fields(Limits) if getattr(limits, f.name) < 1]:
        raise ValueError(f"limits must be positive: {bad}")
    if limits.min_inspectors_per_check < 2:
        raise ValueError("double random needs at least two inspectors per check")
    ratios = {grade: Decimal(text) for grade, text in raw["default_ratios"].items()}
    try:
        check_ratios(ratios)
    except RuleViolation as refused:
        raise ValueError(f"default_ratios: {refused}") from refused
    if missing := sorted(set(GRADES) - ratios.keys()):
        raise ValueError(f"default_ratios: no ratio for grades {missing}")
    default_grade = raw["grades"]["default"]
    if default_grade not in GRADES:
        raise ValueError(f"grades.default must be one of {GRADES}")
    catalogue = dict(raw["catalogue"])
    if not catalogue or any(len(code) > 40 for code in catalogue):
        raise ValueError("catalogue: at least one product, codes of at most 40 characters")
    return Policy(
        version=raw["version"],
        limits=limits,
        default_ratios=ratios,
        default_grade=default_grade,
        catalogue=catalogue,
        basis=_basis(raw["basis"]),
    )


def _basis(table: Table) -> dict[str, str]:
    legal = ({f.name for f in fields(Limits)} - OWN_LIMITS) | CITED_RULES
    if uncited := sorted(legal - {name for name, text in table.items() if str(text).strip()}):
        raise ValueError(f"basis: no source cited for {uncited}")
    if unknown := sorted(set(table) - legal):
        raise ValueError(f"basis: cites rules the policy does not have: {unknown}")
    return dict(table)
