"""A round's proposal (评审委员会): once its window has closed and every application has been
scored, the quotas decide who is put to public notice, for the award or for a nomination,
and who is left outside them."""

from __future__ import annotations

from qgov_brands import queries
from qgov_brands.domain import ProgrammeNotFound, RuleViolation
from qgov_brands.domain.quotas import Candidate, propose
from qgov_brands.domain.stages import Fact, Status, Step, enter
from qgov_brands.handlers import Context
from qgov_brands.handlers.recording import take
from qgov_brands.models import Application
from qgov_brands.programme import Programme, StageKind
from qgov_shared.http.problems import ProblemException
from qgov_shared.uow import UnitOfWork


async def propose_round(
    code: str, round_code: str, reasons: str, uow: UnitOfWork, ctx: Context
) -> list[Application]:
    """Propose the round's applications by its quotas; the applications, best first."""
    programme = ctx.programme(code)
    if round_code not in programme.rounds:
        raise ProgrammeNotFound(f"{code}/{round_code}")
    _check_runs(programme, ctx)
    committee = _stage_of(programme, StageKind.PROPOSAL)
    award_round = programme.rounds[round_code]
    if ctx.today <= award_round.closes_on:
        raise RuleViolation(f"round {round_code} takes applications until {award_round.closes_on}")
    applications = await queries.round_applications(uow.session, code, round_code)
    waiting = [a for a in applications if a.stage == committee.name]
    if pending := [a.id for a in applications if a.stage != committee.name]:
        raise RuleViolation(f"applications {pending} have not reached the {committee.name} yet")
    if not waiting:
        raise RuleViolation(f"no application of round {round_code} awaits the {committee.name}")
    proposal = propose(programme.quotas, [Candidate(a.id, a.score) for a in waiting])
    by_id = {a.id: a for a in waiting}
    notice = enter(programme.after(committee.name), ctx.today)
    for tier, ids in (("award", proposal.awards), ("nomination", proposal.nominations)):
        for application_id in ids:
            by_id[application_id].tier = tier
            take(by_id[application_id], notice, True, reasons, uow, ctx)
    outside = Step(committee.name, Status.REJECTED, Fact.REJECTED)
    limits = f"{programme.quotas.awards} awards, {programme.quotas.nominations} nominations"
    for application_id in proposal.outside:
        take(by_id[application_id], outside, False, f"outside the quotas ({limits})", uow, ctx)
    ranked = proposal.awards + proposal.nominations + proposal.outside
    return [by_id[application_id] for application_id in ranked]


def _check_runs(programme: Programme, ctx: Context) -> None:
    """A national programme is run by admins; another by the regulators of its region."""
    scope = programme.region_code
    if ctx.principal.role == "admin" or (scope and ctx.principal.covers_region(scope)):
        return
    raise ProblemException(403, f"{programme.name} is run by {scope or 'the national admins'}.")


def _stage_of(programme: Programme, kind: StageKind):
    stage = next((stage for stage in programme.stages if stage.kind is kind), None)
    if stage is None:
        raise RuleViolation(f"{programme.name} has no quotas: each application is decided alone")
    return stage
