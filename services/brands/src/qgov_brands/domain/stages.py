"""How an application moves through its programme's stages. A regulator closes the current
stage with a pass or a fail and its reasons; what each kind of stage needs before it can be
closed is checked here, and the answer is the `Step` to record: where the application stands
next and the fact to announce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from qgov_brands.domain import RuleViolation
from qgov_brands.domain.dates import add_months
from qgov_brands.programme import Programme, Stage, StageKind


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    GRANTED = "granted"
    REJECTED = "rejected"


class Fact(StrEnum):
    """What a step announces (`award.<fact>`)."""

    PROPOSED = "proposed"
    GRANTED = "granted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Progress:
    """Where an application stands, with what its current stage's checks need."""

    stage: str
    status: Status
    notice_ends_on: date | None = None
    open_objections: int = 0
    upheld_objections: int = 0
    score: Decimal | None = None
    """The scoring stage's result, once the reviewers have scored enough."""
    refusals: tuple[str, ...] = ()
    """Why the applicant is not eligible today, if it is not."""


@dataclass(frozen=True)
class Step:
    stage: str
    status: Status
    fact: Fact | None
    notice_ends_on: date | None = None


def notice_ends_on(stage: Stage, today: date) -> date:
    """The last day objections are taken, for a notice that starts `today`."""
    if stage.period_months is not None:
        return add_months(today, stage.period_months)
    return today + timedelta(days=stage.period_days or 0)


def take_step(programme: Programme, now: Progress, passed: bool, today: date) -> Step:
    """Close the current stage with `passed`; refuse when the stage may not be closed yet."""
    if now.status is not Status.IN_PROGRESS:
        raise RuleViolation(f"the application is {now.status}: it takes no more steps")
    stage = programme.stage(now.stage)
    _check_closable(programme, stage, now, passed, today)
    if not passed:
        return Step(stage.name, Status.REJECTED, Fact.REJECTED)
    if stage.kind is StageKind.DECISION:
        return Step(stage.name, Status.GRANTED, Fact.GRANTED)
    return enter(programme.after(stage.name), today)


def enter(stage: Stage, today: date) -> Step:
    """Move into `stage`; entering a public notice proposes the application to the public."""
    if stage.kind is StageKind.NOTICE:
        return Step(stage.name, Status.IN_PROGRESS, Fact.PROPOSED, notice_ends_on(stage, today))
    return Step(stage.name, Status.IN_PROGRESS, None)


def _check_closable(
    programme: Programme, stage: Stage, now: Progress, passed: bool, today: date
) -> None:
    if stage.kind is StageKind.PROPOSAL:
        raise RuleViolation(
            "the committee proposes for the whole round at once, by its quotas: "
            "POST /api/v1/awards/programmes/{code}/rounds/{round}/proposal"
        )
    if stage.kind is StageKind.NOTICE:
        if now.notice_ends_on is not None and today <= now.notice_ends_on:
            raise RuleViolation(f"the public notice takes objections until {now.notice_ends_on}")
        if now.open_objections:
            raise RuleViolation(
                f"{now.open_objections} objection(s) must be resolved before the notice closes"
            )
    if stage.kind is StageKind.SCORING:
        if now.score is None:
            raise RuleViolation(
                f"{programme.review.min_reviewers} reviewers must score before this stage closes"
            )
        if passed and now.score < programme.review.pass_mark:
            raise RuleViolation(
                f"the score {now.score} is below the pass mark {programme.review.pass_mark}"
            )
    if passed and stage.kind in (StageKind.ELIGIBILITY, StageKind.DECISION) and now.refusals:
        raise RuleViolation("the applicant is not eligible: " + "; ".join(now.refusals))
    if passed and stage.kind is StageKind.DECISION and now.upheld_objections:
        raise RuleViolation(f"{now.upheld_objections} upheld objection(s) stand against the award")
