"""The rules of an inspection after the draw, pure: who may take the sample, when a result
stands (the policy's `objection_days`), the follow-up of a failure (`follow_up`), and when a
campaign's results must be public (`publication_working_days`). No I/O, no framework."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from qgov_shared.errors import NotFound, RuleViolation


class Status(StrEnum):
    DRAWN = "drawn"  # drawn, its team named; no sample yet
    SAMPLED = "sampled"  # the sample is at the laboratory under its blind code
    TESTED = "tested"  # the laboratory's result, notified; the objection period runs
    OBJECTED = "objected"  # the enterprise objected; the retest laboratory has the reserve
    FINAL = "final"  # the result stands


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    STANDARD_NOT_EXECUTED = "standard_not_executed"  # not made to the standard it declares


class FollowUpOutcome(StrEnum):
    RECTIFIED = "rectified"  # the re-inspection passed
    REFERRED = "referred"  # it failed again: referred for enforcement (公告, 停业整顿)


class InspectionNotFound(NotFound):
    what = "inspection"


class CampaignNotFound(NotFound):
    what = "campaign"


class SampleNotFound(NotFound):
    what = "sample"


def check_sampling_team(team: Collection[int], present: Collection[int], minimum: int) -> None:
    """The inspectors taking the sample are of the drawn team, at least `minimum` of them."""
    if stray := sorted(set(present) - set(team)):
        raise RuleViolation(f"inspectors {stray} were not drawn for this inspection", "inspectors")
    if len(set(present)) < minimum:
        raise RuleViolation(f"at least {minimum} inspectors take a sample", "inspectors")


def check_result(outcome: Outcome, failing: Collection[object], findings: Collection[str]) -> None:
    """A failure names what failed; a pass names no failing indicator."""
    if outcome is Outcome.PASSED and failing:
        raise RuleViolation("a pass has no failing indicators", "failing_indicators")
    if outcome is not Outcome.PASSED and not (failing or findings):
        raise RuleViolation("a failure names its failing indicators or findings", "findings")


def objection_due(notified_on: date, objection_days: int) -> date:
    """The last day an objection is taken: 15 days counted from the day after notification."""
    return notified_on + timedelta(days=objection_days)


@dataclass(frozen=True)
class FirstResult:
    """A laboratory's first result as the rules see it."""

    outcome: Outcome
    objection_due_on: date

    def final_at_once(self) -> bool:
        """Nobody objects to a pass: it stands when entered. A failure waits for the period."""
        return self.outcome is Outcome.PASSED

    def final_on(self, today: date) -> bool:
        """A failure no one objected to stands once its objection period is over."""
        return self.final_at_once() or today > self.objection_due_on

    def check_objection(self, today: date) -> None:
        if self.outcome is Outcome.PASSED:
            raise RuleViolation("a pass is final; there is nothing to object to")
        if today > self.objection_due_on:
            raise RuleViolation(f"the objection period ended on {self.objection_due_on}")


def rectification_due(final_on: date, rectification_days: int) -> date:
    return final_on + timedelta(days=rectification_days)


def follow_up_outcome(reinspection: Outcome | None) -> FollowUpOutcome:
    """A follow-up closes on its re-inspection: rectified when it passed, else referred."""
    if reinspection is None:
        raise RuleViolation("a follow-up closes after its re-inspection")
    return FollowUpOutcome.RECTIFIED if reinspection is Outcome.PASSED else FollowUpOutcome.REFERRED


def publication_due(completed_on: date, working_days: int) -> date:
    """The last day a completed campaign's results may become public, counting Monday to
    Friday (statutory holidays and make-up days are not yet in this policy)."""
    day, left = completed_on, working_days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
