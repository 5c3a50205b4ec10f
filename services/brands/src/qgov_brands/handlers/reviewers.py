"""Reviewers: an admin registers an expert (bound to the subject of the expert's access
token), a regulator assigns one to an application unless a conflict forbids it, and an
assigned reviewer scores the application against its programme's criteria."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import RuleViolation, scoring
from qgov_brands.domain.conflicts import ApplicantFacts, ReviewerFacts, conflicts
from qgov_brands.domain.stages import Status
from qgov_brands.handlers import Context
from qgov_brands.handlers.recording import insert_once
from qgov_brands.models import Application, Assignment, Reviewer, Score
from qgov_brands.programme import StageKind
from qgov_brands.schemas import AssignmentCreate, ReviewerCreate, ScoreCreate
from qgov_shared.uow import UnitOfWork


async def register(body: ReviewerCreate, uow: UnitOfWork, ctx: Context) -> Reviewer:
    reviewer = Reviewer(**body.model_dump(), created_at=ctx.now)
    await insert_once(reviewer, uow, f"a reviewer for subject {body.subject} exists already")
    return reviewer


async def assign(
    application_id: int, body: AssignmentCreate, uow: UnitOfWork, ctx: Context
) -> Assignment:
    application = await queries.handled_application(
        uow.session, application_id, ctx.principal, for_update=True
    )
    _check_still_scoring(application, ctx)
    reviewer = await uow.session.get(Reviewer, body.reviewer_id)
    if reviewer is None:
        raise RuleViolation("no such reviewer", "reviewer_id")
    review = ctx.programme(application.programme).review
    if reasons := conflicts(review, _facts(reviewer), _applicant(application)):
        raise RuleViolation(
            f"{reviewer.name} cannot review this application: " + "; ".join(reasons)
        )
    assignment = Assignment(
        application_id=application.id,
        reviewer_id=reviewer.id,
        assigned_at=ctx.now,
        assigned_by=ctx.actor,
    )
    await insert_once(assignment, uow, f"{reviewer.name} is assigned already")
    return assignment


async def score(application_id: int, body: ScoreCreate, uow: UnitOfWork, ctx: Context) -> Score:
    reviewer = await queries.reviewer_for(uow.session, ctx.principal)
    application = await queries.assigned_application(
        uow.session, application_id, reviewer, for_update=True
    )
    programme = ctx.programme(application.programme)
    if application.status != Status.IN_PROGRESS or (
        programme.stage(application.stage).kind is not StageKind.SCORING
    ):
        raise RuleViolation(f"the application is at {application.stage}: it is not being scored")
    points = dict(body.scores)
    row = Score(
        application_id=application.id,
        reviewer_id=reviewer.id,
        points=points,
        total=scoring.total(programme.review, points),
        scored_at=ctx.now,
    )
    await insert_once(row, uow, "you scored this application already")
    return row


def _check_still_scoring(application: Application, ctx: Context) -> None:
    """Reviewers are assigned until the scoring stage closes."""
    programme = ctx.programme(application.programme)
    names = [stage.name for stage in programme.stages]
    scoring_at = next(i for i, s in enumerate(programme.stages) if s.kind is StageKind.SCORING)
    if application.status != Status.IN_PROGRESS or names.index(application.stage) > scoring_at:
        raise RuleViolation(
            f"the application is past {names[scoring_at]}: reviewers can no longer be assigned"
        )


def _facts(reviewer: Reviewer) -> ReviewerFacts:
    return ReviewerFacts(
        region_code=reviewer.region_code,
        enterprise_group=reviewer.enterprise_group,
        employer_credit_code=reviewer.employer_credit_code,
        conflicts=frozenset(reviewer.conflicts),
    )


def _applicant(application: Application) -> ApplicantFacts:
    return ApplicantFacts(
        application.credit_code, application.region_code, application.enterprise_group
    )
