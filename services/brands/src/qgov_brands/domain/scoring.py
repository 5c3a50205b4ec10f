"""Scoring an application against its programme's criteria (GB/T 19580 for the quality
awards): each reviewer's points per criterion, and the result of all of them, a mean that
drops the highest and the lowest once there are enough reviewers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from qgov_brands.domain import RuleViolation
from qgov_brands.programme import Review

CENT = Decimal("0.01")


def total(review: Review, scores: dict[str, int]) -> int:
    """One reviewer's points, each criterion scored once within its weight."""
    if missing := sorted(set(review.weights) - set(scores)):
        raise RuleViolation(f"score every criterion; missing {', '.join(missing)}", "scores")
    if unknown := sorted(set(scores) - set(review.weights)):
        raise RuleViolation(f"not criteria of this programme: {', '.join(unknown)}", "scores")
    for name, points in scores.items():
        if not 0 <= points <= review.weights[name]:
            raise RuleViolation(
                f"{name} is scored from 0 to {review.weights[name]}", f"scores.{name}"
            )
    return sum(scores.values())


def result(review: Review, totals: list[int]) -> Decimal:
    """The application's score from every reviewer's total: with `trim_from` or more, the
    highest and the lowest are dropped; fewer than `min_reviewers` cannot decide."""
    if len(totals) < review.min_reviewers:
        raise RuleViolation(
            f"{review.min_reviewers} reviewers must score before a result; {len(totals)} have"
        )
    counted = sorted(totals)[1:-1] if len(totals) >= review.trim_from else totals
    return (Decimal(sum(counted)) / len(counted)).quantize(CENT, ROUND_HALF_UP)
