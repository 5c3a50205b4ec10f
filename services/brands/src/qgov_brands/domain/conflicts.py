"""Who may review an application: not a reviewer who declared a conflict with the applicant or
works for it, nor, where the programme forbids it, one of its enterprise group or region."""

from __future__ import annotations

from dataclasses import dataclass

from qgov_brands.programme import REGION_LEVELS, Review


@dataclass(frozen=True)
class ReviewerFacts:
    region_code: str
    enterprise_group: str | None = None
    employer_credit_code: str | None = None
    conflicts: frozenset[str] = frozenset()
    """Credit codes of the enterprises the reviewer declared a conflict of interest with."""


@dataclass(frozen=True)
class ApplicantFacts:
    credit_code: str
    region_code: str
    enterprise_group: str | None = None


def conflicts(review: Review, reviewer: ReviewerFacts, applicant: ApplicantFacts) -> list[str]:
    """Why the reviewer may not review the applicant under the programme's `review` rules."""
    reasons = []
    if applicant.credit_code in reviewer.conflicts:
        reasons.append(f"the reviewer declared a conflict of interest with {applicant.credit_code}")
    if reviewer.employer_credit_code == applicant.credit_code:
        reasons.append("the reviewer works for the applicant")
    if (
        review.forbid_same_group
        and reviewer.enterprise_group
        and _same_group(reviewer.enterprise_group, applicant.enterprise_group)
    ):
        reasons.append(
            f"the reviewer works in the applicant's enterprise group ({applicant.enterprise_group})"
        )
    level = review.forbid_same_region
    if level is not None and _same_region(reviewer.region_code, applicant.region_code, level):
        reasons.append(f"the reviewer works in the applicant's {level} ({applicant.region_code})")
    return reasons


def _same_group(one: str, other: str | None) -> bool:
    return other is not None and one.strip().casefold() == other.strip().casefold()


def _same_region(one: str, other: str, level: str) -> bool:
    digits = REGION_LEVELS[level]
    return one[:digits] == other[:digits]
