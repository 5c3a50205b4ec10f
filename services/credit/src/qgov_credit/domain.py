"""How an enterprise's live records make its score and grade, free of I/O.

A record counts from the day it took effect until `counts_for_days` later; the score is the base
plus the points of every live record, kept within the policy's bounds; the grade is the best
one whose floor the score reaches. Every assessment lists the records that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from qgov_credit.policy import CreditPolicy
from qgov_shared.errors import NotFound, RuleViolation

LISTED_GRADE = "D"  # an enterprise on the serious-violation list is high risk, whatever its score


class EnterpriseNotFound(NotFound):
    """No such enterprise, or none the caller may know of."""

    what = "enterprise"


class RepairNotFound(NotFound):
    """No such application, or none the caller may know of."""

    what = "repair application"


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

    @property
    def standing(self) -> Standing:
        return Standing(sum(reason.points for reason in self.reasons), self.next_change_on)


@dataclass(frozen=True)
class Standing:
    """What an assessment adds up to, and until when: the points of its live records and the
    next day one of its records starts or stops counting. Enough to take in one more record
    without assessing all of them again (`extend`)."""

    points: int
    next_change_on: date | None


def counts_until(record: Record, policy: CreditPolicy) -> date:
    """The first day the record no longer counts."""
    return record.effective_on + timedelta(days=policy.kinds[record.kind].counts_for_days)


def points_of(kind: str, severity: str, policy: CreditPolicy) -> int:
    rule = policy.kinds.get(kind)
    if rule is None:
        raise RuleViolation(f"unknown record kind {kind!r}", "kind")
    if severity not in rule.points:
        raise RuleViolation(
            f"{kind} records are {', '.join(rule.points)}, not {severity}", "severity"
        )
    return rule.points[severity]


def reason_for(record: Record, policy: CreditPolicy) -> Reason:
    """What a live record does to the score, and for how long."""
    points = points_of(record.kind, record.severity, policy)
    until = counts_until(record, policy)
    return Reason(record.id, record.kind, record.severity, points, record.effective_on, until)


def assess(
    records: Iterable[Record], today: date, policy: CreditPolicy, *, listed: bool = False
) -> Assessment:
    records = list(records)
    live = [r for r in records if r.effective_on <= today < counts_until(r, policy)]
    reasons = tuple(
        reason_for(r, policy) for r in sorted(live, key=lambda r: (r.effective_on, r.id))
    )
    upcoming = [reason.counts_until for reason in reasons]
    upcoming += [r.effective_on for r in records if r.effective_on > today]
    score = score_for(sum(reason.points for reason in reasons), policy)
    grade = grade_of(score, policy, listed=listed)
    return Assessment(score, grade, policy.version, reasons, min(upcoming, default=None))


def is_current(
    assessed_on: date,
    next_change_on: date | None,
    rule_version: str,
    today: date,
    policy: CreditPolicy,
) -> bool:
    """Whether an assessment made on `assessed_on` still holds today: made under this policy,
    not later than today, and no record behind it has started or stopped counting since."""
    return (
        rule_version == policy.version
        and assessed_on <= today
        and (next_change_on is None or next_change_on > today)
    )


def extend(
    standing: Standing, new: Record, today: date, policy: CreditPolicy
) -> tuple[Standing, Reason | None]:
    """A current assessment's standing (`is_current`) with one more record, and the record's
    reason if it counts today: the same as assessing all the records again, since none of
    the others starts or stops counting before tomorrow."""
    until = counts_until(new, policy)
    if new.effective_on > today:
        return Standing(standing.points, _earliest(standing.next_change_on, new.effective_on)), None
    if today >= until:
        return standing, None
    reason = reason_for(new, policy)
    upcoming = _earliest(standing.next_change_on, until)
    return Standing(standing.points + reason.points, upcoming), reason


def score_for(points: int, policy: CreditPolicy) -> int:
    """The base score plus the live records' points, kept within the policy's bounds."""
    return max(policy.min_score, min(policy.max_score, policy.base_score + points))


def grade_of(score: int, policy: CreditPolicy, *, listed: bool) -> str:
    return LISTED_GRADE if listed else grade_for(score, policy)


def _earliest(day: date | None, other: date) -> date:
    return other if day is None else min(day, other)


def grade_for(score: int, policy: CreditPolicy) -> str:
    return next(grade for grade, floor in policy.grade_floors if score >= floor)


def entry_severity(kind: str, severity: str | None, policy: CreditPolicy) -> str:
    """The severity of a regulator-entered record: as given, or the kind's default."""
    if kind not in policy.entry_severities:
        allowed = ", ".join(policy.entry_severities)
        raise RuleViolation(f"regulators enter records of kinds {allowed}", "kind")
    chosen = severity or policy.entry_severities[kind]
    points_of(kind, chosen, policy)
    return chosen


# --- the serious-violation list and credit repair ------------------------------------------


def listing_reason(
    new: Record,
    records: Iterable[Record],
    today: date,
    policy: CreditPolicy,
    last_delisted_on: date | None = None,
) -> str | None:
    """Why the new record puts its enterprise on the serious-violation list, if it does.

    A record that no longer counts lists nothing, and failures before the last delisting were
    answered by that repair: only later ones count towards a repeat.
    """
    if today >= counts_until(new, policy):
        return None
    listing = policy.listing
    if new.kind in listing.kinds:
        return new.kind
    if new.kind != listing.repeated_kind:
        return None
    since = new.effective_on - timedelta(days=listing.repeated_within_days)
    if last_delisted_on is not None:
        since = max(since, last_delisted_on)
    repeats = [
        r for r in records if r.kind == new.kind and since < r.effective_on <= new.effective_on
    ]
    return f"repeated_{new.kind}" if len(repeats) >= listing.repeated_count else None


def earliest_delisting(listed_on: date, policy: CreditPolicy) -> date:
    return listed_on + timedelta(days=policy.listing.minimum_days)


def earliest_publicity_end(record: Record, industry: str | None, policy: CreditPolicy) -> date:
    """An ordinary penalty's publicity can end early on repair, after a minimum period that
    is longer for food, drugs and special equipment."""
    if record.kind != "penalty":
        raise RuleViolation("only an ordinary penalty's publicity can end early", "record_id")
    repair = policy.repair
    special = industry in repair.special_industries
    days = (
        repair.special_industry_penalty_publicity_min_days
        if special
        else repair.penalty_publicity_min_days
    )
    return record.effective_on + timedelta(days=days)


def check_repair_due(earliest: date, today: date) -> None:
    if today < earliest:
        raise RuleViolation(
            f"credit repair can be applied for from {earliest.isoformat()}", "target"
        )
