"""Who may apply to a programme: where the applicant is registered, its credit standing as
credit's events told this service, the serious facts in its recent past, and its brand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from qgov_brands.domain.dates import add_years
from qgov_brands.programme import Programme
from qgov_shared.uscc import region_covers


@dataclass(frozen=True)
class Standing:
    """An enterprise's credit standing, from credit's grade and listing events."""

    grade: str | None = None
    listed: bool = False
    listed_on: date | None = None
    listing_reason: str | None = None


@dataclass(frozen=True)
class CreditFact:
    """One record in the enterprise's credit file, as credit announced it."""

    kind: str
    severity: str
    occurred_on: date


@dataclass(frozen=True)
class BrandFacts:
    founded_year: int
    geographical_indication: bool = False
    time_honoured_candidate: bool = False


@dataclass(frozen=True)
class Applicant:
    region_code: str
    standing: Standing = Standing()
    facts: tuple[CreditFact, ...] = ()
    brand: BrandFacts | None = None


def refusals(programme: Programme, applicant: Applicant, today: date) -> list[str]:
    """Why `applicant` may not hold this programme's award on `today`; empty if it may."""
    reasons = _region(programme, applicant)
    reasons += _standing(programme, applicant.standing)
    reasons += _exclusion(programme, applicant.facts, today)
    reasons += _brand(programme, applicant.brand, today)
    return reasons


def _region(programme: Programme, applicant: Applicant) -> list[str]:
    scope = programme.region_code
    if scope is None or region_covers(scope, applicant.region_code):
        return []
    return [f"the programme takes applicants registered in {scope}, not {applicant.region_code}"]


def _standing(programme: Programme, standing: Standing) -> list[str]:
    rules = programme.eligibility
    reasons = []
    if rules.refuse_listed and standing.listed:
        reasons.append(
            f"the enterprise is on the serious-violation list (严重违法失信名单) since "
            f"{standing.listed_on} ({standing.listing_reason})"
        )
    if standing.grade in rules.refuse_grades:
        reasons.append(f"the enterprise's credit grade is {standing.grade}")
    return reasons


def exclusion_starts_on(programme: Programme, today: date) -> date | None:
    """The first day whose serious facts still exclude an applicant (None: none exclude)."""
    years = programme.eligibility.exclusion_years
    return add_years(today, -years) if programme.eligibility.exclusion else None


def _exclusion(programme: Programme, facts: tuple[CreditFact, ...], today: date) -> list[str]:
    exclusion = programme.eligibility.exclusion
    since = exclusion_starts_on(programme, today)
    if exclusion is None or since is None:
        return []
    years = programme.eligibility.exclusion_years
    return [
        f"a {fact.severity} {fact.kind} on {fact.occurred_on}, within {years} years "
        f"({exclusion.description})"
        for fact in sorted(facts, key=lambda fact: fact.occurred_on)
        if exclusion.excludes(fact.kind, fact.severity) and since <= fact.occurred_on <= today
    ]


def _brand(programme: Programme, brand: BrandFacts | None, today: date) -> list[str]:
    rules = programme.eligibility
    if brand is None:
        return []
    reasons = [
        f"the brand is not declared a {flag.replace('_', '-')} product"
        for flag in rules.requires
        if not getattr(brand, flag)
    ]
    if rules.min_brand_age_years is not None and (
        today.year - brand.founded_year < rules.min_brand_age_years
    ):
        reasons.append(
            f"the brand was founded in {brand.founded_year}, fewer than "
            f"{rules.min_brand_age_years} years ago"
        )
    return reasons
