"""How an enterprise's live records make its score and grade, free of I/O.

A record counts from the day it took effect until `counts_for_days` later; the score is the base
plus the points of every live record, kept within the rule set's bounds; the grade is the best
one whose floor the score reaches. Every assessment lists the records that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from qgov_credit.rules import RuleSet


class RuleViolation(Exception):
    """Input the rules do not allow; `field` names it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Record:
    id: int
    kind: str
    severity: str
    effective_on: date


@dataclass(frozen=True)
class Reason:
    """One live record and what it does to the score."""

    record_id: int
    kind: str
    severity: str
    points: int
    effective_on: date
    counts_until: date


@dataclass(frozen=True)
class Assessment:
    score: int
    grade: str
    rule_version: str
    reasons: tuple[Reason, ...]
    next_change_on: date | None  # when a record starts or stops counting


def counts_until(record: Record, rules: RuleSet) -> date:
    """The first day the record no longer counts."""
    return record.effective_on + timedelta(days=rules.kinds[record.kind].counts_for_days)


def points_of(kind: str, severity: str, rules: RuleSet) -> int:
    rule = rules.kinds.get(kind)
    if rule is None:
        raise RuleViolation(f"unknown record kind {kind!r}", "kind")
    if severity not in rule.points:
        raise RuleViolation(
            f"{kind} records are {', '.join(rule.points)}, not {severity}", "severity"
        )
    return rule.points[severity]


def assess(records: Iterable[Record], today: date, rules: RuleSet) -> Assessment:
    records = list(records)
    live = [r for r in records if r.effective_on <= today < counts_until(r, rules)]
    reasons = tuple(
        Reason(
            r.id,
            r.kind,
            r.severity,
            points_of(r.kind, r.severity, rules),
            r.effective_on,
            counts_until(r, rules),
        )
        for r in sorted(live, key=lambda r: (r.effective_on, r.id))
    )
    raw = rules.base_score + sum(reason.points for reason in reasons)
    score = max(rules.min_score, min(rules.max_score, raw))
    upcoming = [counts_until(r, rules) for r in live]
    upcoming += [r.effective_on for r in records if r.effective_on > today]
    return Assessment(
        score, grade_for(score, rules), rules.version, reasons, min(upcoming, default=None)
    )


def grade_for(score: int, rules: RuleSet) -> str:
    return next(grade for grade, floor in rules.grade_floors if score >= floor)


def entry_severity(kind: str, severity: str | None, rules: RuleSet) -> str:
    """The severity of a regulator-entered record: as given, or the kind's default."""
    if kind not in rules.entry_severities:
        allowed = ", ".join(rules.entry_severities)
        raise RuleViolation(f"regulators enter records of kinds {allowed}", "kind")
    chosen = severity or rules.entry_severities[kind]
    points_of(kind, chosen, rules)
    return chosen
