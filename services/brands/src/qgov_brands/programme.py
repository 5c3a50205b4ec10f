"""What an award programme is, as its data file defines it: level, rounds with application
windows, eligibility, stages, evaluation, quotas and notice periods. Values only; `policy`
loads and checks them, `domain` applies them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    MUNICIPAL = "municipal"


class Subject(StrEnum):
    ENTERPRISE = "enterprise"  # the organisation is honoured; a brand is optional
    BRAND = "brand"  # a brand is honoured; the application names one


class StageKind(StrEnum):
    INTAKE = "intake"  # the application is received
    ELIGIBILITY = "eligibility"  # the programme's eligibility rules are checked
    REVIEW = "review"  # a regulator's pass or fail on the materials
    SCORING = "scoring"  # assigned reviewers score against the criteria
    PROPOSAL = "proposal"  # the round's quotas decide who is proposed
    NOTICE = "notice"  # public notice: objections may be filed until the period ends
    DECISION = "decision"  # granted or rejected, with reasons


BRAND_FLAGS = frozenset({"geographical_indication", "time_honoured_candidate"})
"""The brand facts a programme may require (`eligibility.requires`)."""
REGION_LEVELS = {"province": 2, "prefecture": 4, "county": 6}
"""How many leading digits of two region codes must agree for them to be one region."""


@dataclass(frozen=True)
class Round:
    code: str
    opens_on: date
    closes_on: date

    def is_open(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


@dataclass(frozen=True)
class Stage:
    name: str
    kind: StageKind
    period_days: int | None = None
    period_months: int | None = None


@dataclass(frozen=True)
class Exclusion:
    """Credit facts that exclude an applicant: record kinds, each with the severities that
    count (None: every severity)."""

    name: str
    description: str
    records: dict[str, frozenset[str] | None]

    def excludes(self, kind: str, severity: str) -> bool:
        if kind not in self.records:
            return False
        severities = self.records[kind]
        return severities is None or severity in severities


@dataclass(frozen=True)
class Eligibility:
    exclusion: Exclusion | None = None
    exclusion_years: int = 0
    refuse_listed: bool = False
    refuse_grades: frozenset[str] = frozenset()
    min_brand_age_years: int | None = None
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    criteria_set: str
    weights: dict[str, int]
    """Each criterion's most points; their sum is the most an application can score."""
    pass_mark: int
    min_reviewers: int
    trim_from: int
    """With this many scores or more, the highest and the lowest are dropped."""
    forbid_same_group: bool = False
    forbid_same_region: str | None = None
    """A key of REGION_LEVELS: reviewers of the applicant's region at that level may not
    review it; None allows them."""

    @property
    def total(self) -> int:
        return sum(self.weights.values())


@dataclass(frozen=True)
class Quotas:
    awards: int
    nominations: int


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    level: Level
    region_code: str | None
    """Whose applicants it takes and whose regulators run it; None: national (admins run it)."""
    subject: Subject
    rounds: dict[str, Round]
    stages: tuple[Stage, ...]
    eligibility: Eligibility
    review: Review
    quotas: Quotas | None
    period_years: int | None
    validity_years: int | None
    renewal: bool
    basis: dict[str, str]

    def stage(self, name: str) -> Stage:
        return next(stage for stage in self.stages if stage.name == name)

    def after(self, name: str) -> Stage:
        """The stage that follows `name` (never asked of the decision, the last)."""
        names = [stage.name for stage in self.stages]
        return self.stages[names.index(name) + 1]

    @property
    def first(self) -> Stage:
        return self.stages[0]
