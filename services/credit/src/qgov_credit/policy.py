"""The credit policy (`policy.toml`) loaded into values the domain uses, checked as it loads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from qgov_shared.policy import Table, load_toml_policy

POLICY_FILE = Path(__file__).with_name("policy.toml")
Grade = Literal["A", "B", "C", "D"]
"""The four risk classes of risk-based inspection, A (low risk) to D (high risk)."""
GRADES: tuple[Grade, ...] = get_args(Grade)


@dataclass(frozen=True)
class KindRule:
    name: str
    description: str
    points: dict[str, int]  # by severity
    counts_for_days: int
    public: bool


@dataclass(frozen=True)
class IntakeRule:
    """Which events become records of which kind."""

    event: str
    kind: str
    severity: str
    when: dict[str, Any]
    occurred_on: str | None

    def matches(self, event_type: str, data: dict[str, Any]) -> bool:
        return event_type == self.event and all(data.get(k) == v for k, v in self.when.items())


@dataclass(frozen=True)
class ListingRule:
    kinds: frozenset[str]
    repeated_kind: str
    repeated_count: int
    repeated_within_days: int
    minimum_days: int
    joint_punishment: tuple[str, ...]


@dataclass(frozen=True)
class RepairRule:
    penalty_publicity_min_days: int
    special_industry_penalty_publicity_min_days: int
    special_industries: frozenset[str]


@dataclass(frozen=True)
class CreditPolicy:
    version: str
    base_score: int
    max_score: int
    min_score: int
    grade_floors: tuple[tuple[str, int], ...]  # best grade first
    kinds: dict[str, KindRule]
    intake: tuple[IntakeRule, ...]
    entry_severities: dict[str, str]  # regulator-entered kinds and their default severity
    listing: ListingRule
    repair: RepairRule

    def intake_for(self, event_type: str, data: dict[str, Any]) -> IntakeRule | None:
        return next((rule for rule in self.intake if rule.matches(event_type, data)), None)


def load_policy(path: Path = POLICY_FILE) -> CreditPolicy:
    return load_toml_policy(path, _parse)


def _parse(raw: Table) -> CreditPolicy:
    kinds = {
        name: KindRule(
            name, spec["description"], dict(spec["points"]), spec["counts_for_days"], spec["public"]
        )
        for name, spec in raw["kinds"].items()
    }
    intake = tuple(
        IntakeRule(
            rule["event"],
            rule["kind"],
            rule["severity"],
            dict(rule.get("when", {})),
            rule.get("occurred_on"),
        )
        for rule in raw["intake"]
    )
    policy = CreditPolicy(
        version=raw["version"],
        base_score=raw["base_score"],
        max_score=raw["max_score"],
        min_score=raw["min_score"],
        grade_floors=tuple(sorted(raw["grades"].items(), key=lambda item: -item[1])),
        kinds=kinds,
        intake=intake,
        entry_severities=dict(raw["entry"]),
        listing=_listing(raw["listing"]),
        repair=_repair(raw["repair"]),
    )
    _check(policy)
    return policy


def _listing(raw: dict[str, Any]) -> ListingRule:
    repeated = raw["repeated"]
    return ListingRule(
        kinds=frozenset(raw["kinds"]),
        repeated_kind=repeated["kind"],
        repeated_count=repeated["count"],
        repeated_within_days=repeated["within_days"],
        minimum_days=raw["minimum_days"],
        joint_punishment=tuple(raw["joint_punishment"]),
    )


def _repair(raw: dict[str, Any]) -> RepairRule:
    return RepairRule(
        penalty_publicity_min_days=raw["penalty_publicity_min_days"],
        special_industry_penalty_publicity_min_days=raw[
            "special_industry_penalty_publicity_min_days"
        ],
        special_industries=frozenset(raw["special_industries"]),
    )


def _check(policy: CreditPolicy) -> None:
    floors = [floor for _, floor in policy.grade_floors]
    if tuple(grade for grade, _ in policy.grade_floors) != GRADES or len(set(floors)) < len(floors):
        raise ValueError("grades must be A > B > C > D by their lowest score")
    if policy.grade_floors[-1][1] > policy.min_score:
        raise ValueError("grade D must admit the lowest score")
    used = [(r.kind, r.severity, f"intake of {r.event}") for r in policy.intake]
    used += [(kind, severity, "entry") for kind, severity in policy.entry_severities.items()]
    listed_kinds = policy.listing.kinds | {policy.listing.repeated_kind}
    if unknown := sorted(listed_kinds - policy.kinds.keys()):
        raise ValueError(f"the listing rule names unknown kinds {unknown}")
    for kind, severity, where in used:
        if kind not in policy.kinds:
            raise ValueError(f"{where} names an unknown kind {kind!r}")
        if severity not in policy.kinds[kind].points:
            raise ValueError(f"{where} names severity {severity!r} that {kind} lacks")
