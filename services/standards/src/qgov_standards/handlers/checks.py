"""Checks of declarations (the policy's `supervision` rule): a regulator records what a check
found, or an inspection's final result arrives from the inspections service. Either is kept,
public, and announced (`standard.check_recorded`), saying which it was."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.dialects.postgresql import insert

from qgov_shared.envelope import CloudEvent
from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_standards.events import StandardCheckRecorded
from qgov_standards.facts import DeclarationNotFound, Facts
from qgov_standards.handlers import Context
from qgov_standards.indicators import name_key
from qgov_standards.inspections import RESULT_FINAL, InspectionResult
from qgov_standards.models import Check, Declaration
from qgov_standards.numbers import InvalidStandardNumber, parse_standard_number
from qgov_standards.queries import declarations as stored
from qgov_standards.schemas.declarations import CheckCreate
from qgov_standards.supervision import INSPECTION_OUTCOMES, Outcome, Source, check_findings

log = logging.getLogger(__name__)


async def record_check(
    declaration_id: int, body: CheckCreate, uow: UnitOfWork, ctx: Context
) -> int:
    """A regulator's check of a declaration of an enterprise in their regions; its id."""
    row = await stored.declaration(uow.session, declaration_id)
    if not ctx.principal.covers_region(row.region_code):
        raise DeclarationNotFound(str(declaration_id))
    if body.checked_on > ctx.today:
        raise RuleViolation("this date is in the future", "checked_on")
    check_findings(body.outcome, body.findings, body.failing_indicators)
    check_id = await _record(
        Facts.of(row),
        body.outcome,
        list(body.findings),
        list(body.failing_indicators),
        body.checked_on,
        None,
        uow,
        ctx,
    )
    assert check_id is not None  # only an inspection's result can be a repeat
    return check_id


async def take_in_results(events: list[CloudEvent], uow: UnitOfWork, ctx: Context) -> None:
    """The inspections service's final results, each a check on the declaration it tested."""
    for event in events:
        if event.type != RESULT_FINAL:
            continue
        result = InspectionResult.model_validate(event.data)
        tested = await _tested(result, uow, ctx)
        if not tested:
            log.info("inspection %s names no declaration of its enterprise", result.inspection_id)
        outcome = INSPECTION_OUTCOMES[result.outcome]
        failing = [indicator.name for indicator in result.failing_indicators]
        findings = [*result.findings, *(i.finding() for i in result.failing_indicators)][:20]
        for row in tested:
            await _record(
                Facts.of(row),
                outcome,
                findings,
                failing,
                result.decided_on,
                result.inspection_id,
                uow,
                ctx,
            )


async def _tested(result: InspectionResult, uow: UnitOfWork, ctx: Context) -> list[Declaration]:
    """The declaration the inspection names, or those of its enterprise citing its standard."""
    if result.declaration_id is not None:
        row = await uow.session.get(Declaration, result.declaration_id)
        return [row] if row is not None and row.credit_code == result.credit_code else []
    if result.standard_number is None:
        return []
    try:
        number = parse_standard_number(result.standard_number, ctx.policy.industry_codes)
    except InvalidStandardNumber:
        return []
    rows = await stored.citing_of(uow.session, result.credit_code, number)
    if result.product_name is not None:
        wanted = name_key(result.product_name)
        rows = [row for row in rows if name_key(row.product_name) == wanted]
    return rows


async def _record(
    facts: Facts,
    outcome: Outcome,
    findings: list[str],
    failing: list[str],
    checked_on: date,
    inspection_id: str | None,
    uow: UnitOfWork,
    ctx: Context,
) -> int | None:
    """Keep the check and announce it; None for an inspection's result kept already."""
    source = Source.REGULATOR if inspection_id is None else Source.INSPECTION
    check_id = await uow.session.scalar(
        insert(Check)
        .values(
            declaration_id=facts.id,
            declaration_version=facts.version,
            credit_code=facts.credit_code,
            region_code=facts.region_code,
            outcome=outcome.value,
            findings=findings,
            failing_indicators=failing,
            checked_on=checked_on,
            source=source.value,
            inspection_id=inspection_id,
            recorded_by=ctx.actor,
            recorded_at=ctx.now,
        )
        .on_conflict_do_nothing()
        .returning(Check.id)
    )
    if check_id is None:
        return None
    announced = StandardCheckRecorded(
        **facts.event_fields(),
        check_id=check_id,
        outcome=outcome,
        findings=findings,
        failing_indicators=failing,
        checked_on=checked_on,
        source=source,
        inspection_id=inspection_id,
    )
    uow.publish(announced.event(subject=facts.credit_code, time=ctx.now))
    return check_id
