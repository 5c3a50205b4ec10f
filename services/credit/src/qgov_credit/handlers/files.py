"""A credit file's header and records: regulators open files and enter records, and every new
record, from a regulator or an event, may list the enterprise and regrades it."""

from __future__ import annotations

from datetime import date

from qgov_credit import domain
from qgov_credit.domain import EnterpriseNotFound, RuleViolation
from qgov_credit.handlers import Context
from qgov_credit.handlers.grading import regrade_file
from qgov_credit.handlers.listing import list_if_called_for
from qgov_credit.models import CreditRecord, Enterprise
from qgov_credit.queries import records_of
from qgov_shared.auth import Principal
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code


async def enter_record(
    code: str,
    kind: str,
    severity: str | None,
    occurred_on: date,
    note: str | None,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> CreditRecord:
    """A regulator records an inspection result, a penalty or a quality accident."""
    severity = domain.entry_severity(kind, severity, ctx.policy)
    if occurred_on > ctx.today:
        raise RuleViolation("this date is in the future", "occurred_on")
    enterprise = await ensure_enterprise(code, code, None, uow, ctx)
    if not principal.covers_region(enterprise.region_code):
        raise EnterpriseNotFound(code)
    record = new_record(
        code,
        kind,
        severity,
        occurred_on,
        ctx,
        note=note,
        entered_by=f"{principal.role}:{principal.subject}",
    )
    await add_record(record, uow, ctx, cause="record")
    return record


async def register_enterprise(
    code: str,
    name: str,
    region_code: str | None,
    industry: str | None,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> Enterprise:
    """A regulator opens a file or corrects its header, within its own regions only."""
    region = region_code or parse_credit_code(code).region_code
    existing = await uow.session.get(Enterprise, code, with_for_update=True)
    if existing is not None and not principal.covers_region(existing.region_code):
        raise EnterpriseNotFound(code)
    if not principal.covers_region(region):
        raise RuleViolation("that region is not one of yours", "region_code")
    enterprise = existing or await ensure_enterprise(code, name, region, uow, ctx)
    enterprise.name, enterprise.region_code, enterprise.industry = name, region, industry
    return enterprise


async def ensure_enterprise(
    code: str, name: str, region_code: str | None, uow: UnitOfWork, ctx: Context
) -> Enterprise:
    """The enterprise's file, opened (graded on no records) the first time it is named."""
    enterprise = await uow.session.get(Enterprise, code, with_for_update=True)
    if enterprise is not None:
        if enterprise.name == code and name != code:  # opened before anyone named it
            enterprise.name = name
        return enterprise
    fresh = domain.assess([], ctx.today, ctx.policy)
    enterprise = Enterprise(
        credit_code=code,
        name=name,
        region_code=region_code or parse_credit_code(code).region_code,
        score=fresh.score,
        grade=fresh.grade,
        rule_version=fresh.rule_version,
        assessed_on=ctx.today,
        created_at=ctx.now,
    )
    uow.session.add(enterprise)
    await uow.session.flush()
    return enterprise


def new_record(
    code: str,
    kind: str,
    severity: str,
    effective_on: date,
    ctx: Context,
    *,
    source_event: CloudEvent | None = None,
    note: str | None = None,
    entered_by: str | None = None,
) -> CreditRecord:
    return CreditRecord(
        credit_code=code,
        kind=kind,
        severity=severity,
        effective_on=effective_on,
        public=ctx.policy.kinds[kind].public,
        note=note,
        source_event_id=source_event.id if source_event else None,
        source_event_type=source_event.type if source_event else None,
        entered_by=entered_by,
        created_at=ctx.now,
    )


async def add_record(record: CreditRecord, uow: UnitOfWork, ctx: Context, cause: str) -> None:
    """Store a new record, list the enterprise if the record calls for it, and regrade."""
    uow.session.add(record)
    await uow.session.flush()
    cause = f"record:{record.id}" if cause == "record" else cause
    enterprise = await uow.session.get(Enterprise, record.credit_code, with_for_update=True)
    records = await records_of(uow.session, record.credit_code)
    await list_if_called_for(enterprise, record, records, uow, ctx)
    await regrade_file(enterprise, records, uow, ctx, cause)
