"""The credit service's use cases: take in facts (from events or regulators), keep each
enterprise's assessment current, and announce every change of grade or score."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from qgov_credit import domain
from qgov_credit.domain import Assessment, Record, RuleViolation
from qgov_credit.events import (
    EnterpriseDelisted,
    EnterpriseListed,
    GradeChanged,
    Reason,
    RepairDecided,
)
from qgov_credit.models import (
    CreditRecord,
    Enterprise,
    GradeChange,
    IntakeEntry,
    Listing,
    RepairApplication,
)
from qgov_credit.policy import CreditPolicy
from qgov_shared.auth import Principal
from qgov_shared.envelope import CloudEvent
from qgov_shared.errors import NotFound
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import is_valid_credit_code, parse_credit_code

CHINA = ZoneInfo("Asia/Shanghai")


class EnterpriseNotFound(NotFound):
    """No such enterprise, or none the caller may know of."""

    what = "enterprise"


@dataclass(frozen=True)
class Context:
    policy: CreditPolicy
    now: datetime
    actor: str = "credit"

    @property
    def today(self) -> date:
        return self.now.astimezone(CHINA).date()


# --- intake --------------------------------------------------------------------------------


async def take_in(event: CloudEvent, uow: UnitOfWork, ctx: Context) -> None:
    """Apply one event from another service: a record if a rule says so, else a log line."""
    rule = ctx.policy.intake_for(event.type, event.data)
    valid = event.subject is not None and is_valid_credit_code(event.subject)
    code = parse_credit_code(event.subject).value if valid else None  # as the API spells it
    outcome = "recorded" if rule and code else "no_rule" if rule is None else "no_enterprise"
    uow.session.add(
        IntakeEntry(
            event_id=event.id,
            event_type=event.type,
            credit_code=code,
            outcome=outcome,
            received_at=ctx.now,
        )
    )
    if outcome != "recorded":
        return
    name = event.data.get("respondent_name") or event.data.get("enterprise_name") or code
    # Where a complaint arose is not where the enterprise is registered: the region comes from
    # the credit code (positions 3-8) until a regulator records another.
    await ensure_enterprise(code, name, None, uow, ctx)
    occurred = event.data.get(rule.occurred_on) if rule.occurred_on else None
    effective_on = date.fromisoformat(occurred) if occurred else event.time.astimezone(CHINA).date()
    record = _record(code, rule.kind, rule.severity, effective_on, ctx, source_event=event)
    await _add_record(record, uow, ctx, cause=f"event:{event.type}:{event.id}")


# --- regulators ----------------------------------------------------------------------------


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
    record = _record(
        code,
        kind,
        severity,
        occurred_on,
        ctx,
        note=note,
        entered_by=f"{principal.role}:{principal.subject}",
    )
    await _add_record(record, uow, ctx, cause="record")
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


# --- assessment ----------------------------------------------------------------------------


async def regrade(code: str, uow: UnitOfWork, ctx: Context, cause: str) -> Assessment:
    """Assess the enterprise on its live records; record and announce any change."""
    # Flush first: a locking read re-reads the row and would drop unflushed changes (a listing).
    await uow.session.flush()
    enterprise = await uow.session.get(Enterprise, code, with_for_update=True)
    return await _regrade(enterprise, await records_of(code, uow), uow, ctx, cause)


async def _regrade(
    enterprise: Enterprise, records: list[Record], uow: UnitOfWork, ctx: Context, cause: str
) -> Assessment:
    """Regrade an enterprise whose row the caller has locked, on the records given."""
    assessment = domain.assess(records, ctx.today, ctx.policy, listed=enterprise.listed)
    if (assessment.score, assessment.grade) != (enterprise.score, enterprise.grade):
        _announce(enterprise, assessment, uow, ctx, cause)
    enterprise.score, enterprise.grade = assessment.score, assessment.grade
    enterprise.rule_version = assessment.rule_version
    enterprise.assessed_on, enterprise.next_change_on = ctx.today, assessment.next_change_on
    return assessment


async def regrade_due(uow: UnitOfWork, ctx: Context, limit: int = 500) -> int:
    """Re-assess enterprises a record started or stopped counting for; how many."""
    query = (
        select(Enterprise.credit_code)
        .where(Enterprise.next_change_on <= ctx.today)
        .order_by(Enterprise.next_change_on, Enterprise.credit_code)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    codes = list(await uow.session.scalars(query))
    for code in codes:
        await regrade(code, uow, ctx, cause="records_expired_or_took_effect")
    return len(codes)


async def rebuild(uow: UnitOfWork, ctx: Context) -> dict[str, int]:
    """Assess every enterprise from its records alone; how many files that moved."""
    query = select(Enterprise).order_by(Enterprise.credit_code).with_for_update()
    enterprises = list(await uow.session.scalars(query))
    differing = 0
    for enterprise in enterprises:
        before = (enterprise.score, enterprise.grade)
        records = await records_of(enterprise.credit_code, uow)
        assessment = await _regrade(enterprise, records, uow, ctx, cause="rebuild")
        differing += (assessment.score, assessment.grade) != before
    return {"enterprises": len(enterprises), "differing": differing}


async def records_of(code: str, uow: UnitOfWork) -> list[Record]:
    """The enterprise's records as the domain sees them (four columns, no ORM objects)."""
    query = (
        select(CreditRecord.id, CreditRecord.kind, CreditRecord.severity, CreditRecord.effective_on)
        .where(CreditRecord.credit_code == code)
        .order_by(CreditRecord.id)
    )
    return [Record(*row) for row in await uow.session.execute(query)]


async def _add_record(record: CreditRecord, uow: UnitOfWork, ctx: Context, cause: str) -> None:
    """Store a new record, list the enterprise if the record calls for it, and regrade."""
    uow.session.add(record)
    await uow.session.flush()
    cause = f"record:{record.id}" if cause == "record" else cause
    enterprise = await uow.session.get(Enterprise, record.credit_code, with_for_update=True)
    records = await records_of(record.credit_code, uow)
    if not enterprise.listed:
        new = Record(record.id, record.kind, record.severity, record.effective_on)
        repeat = new.kind == ctx.policy.listing.repeated_kind  # only repeats look back
        last = await _last_delisted_on(record.credit_code, uow) if repeat else None
        reason = domain.listing_reason(new, records, ctx.today, ctx.policy, last)
        if reason:
            await _list(enterprise, record, reason, uow, ctx)
    await _regrade(enterprise, records, uow, ctx, cause)


async def _last_delisted_on(code: str, uow: UnitOfWork) -> date | None:
    query = select(func.max(Listing.delisted_on)).where(Listing.credit_code == code)
    return await uow.session.scalar(query)


async def _list(
    enterprise: Enterprise, record: CreditRecord, reason: str, uow: UnitOfWork, ctx: Context
) -> None:
    earliest = domain.earliest_delisting(record.effective_on, ctx.policy)
    uow.session.add(
        Listing(
            credit_code=enterprise.credit_code,
            listed_on=record.effective_on,
            reason=reason,
            trigger_record_id=record.id,
            earliest_delisting_on=earliest,
        )
    )
    enterprise.listed = True
    listed = EnterpriseListed(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        listed_on=record.effective_on,
        reason=reason,
        earliest_delisting_on=earliest,
        joint_punishment=ctx.policy.listing.joint_punishment,
    )
    uow.publish(listed.event(subject=enterprise.credit_code, time=ctx.now))


def _record(
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


def _announce(
    enterprise: Enterprise, assessment: Assessment, uow: UnitOfWork, ctx: Context, cause: str
) -> None:
    """Publish the change, and keep it in the file's history as the event tells it."""
    changed = GradeChanged(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        previous_grade=enterprise.grade,
        grade=assessment.grade,
        previous_score=enterprise.score,
        score=assessment.score,
        rule_version=assessment.rule_version,
        cause=cause,
        assessed_on=ctx.today,
        reasons=Reason.all_of(assessment, ctx.policy),
    )
    uow.publish(changed.event(subject=enterprise.credit_code, time=ctx.now))
    uow.session.add(
        GradeChange(
            **changed.model_dump(exclude={"region_code", "reasons"}),
            reasons=changed.model_dump(mode="json")["reasons"],
            changed_at=ctx.now,
        )
    )


# --- credit repair -------------------------------------------------------------------------


class RepairNotFound(NotFound):
    """No such application, or none the caller may know of."""

    what = "repair application"


async def active_listing(code: str, uow: UnitOfWork) -> Listing | None:
    query = select(Listing).where(Listing.credit_code == code, Listing.delisted_on.is_(None))
    return (await uow.session.scalars(query)).first()


async def apply_for_repair(
    code: str,
    target: str,
    record_id: int | None,
    pledge: str,
    correction: str,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> RepairApplication:
    """The enterprise asks to end its listing, or a penalty's publicity, after the minimum."""
    enterprise = await uow.session.get(Enterprise, code, with_for_update=True)
    if enterprise is None or not principal.can_act_for_enterprise(code):
        raise EnterpriseNotFound(code)
    application = RepairApplication(
        credit_code=code, target=target, pledge=pledge, correction=correction, applied_at=ctx.now
    )
    if target == "listing":
        listing = await active_listing(code, uow)
        if listing is None:
            raise RuleViolation("the enterprise is not on the serious-violation list", "target")
        domain.check_repair_due(listing.earliest_delisting_on, ctx.today)
        application.listing_id = listing.id
    else:
        record = await uow.session.get(CreditRecord, record_id) if record_id else None
        if record is None or record.credit_code != code or not record.public:
            raise RuleViolation("no public record of this enterprise has that id", "record_id")
        as_domain = Record(record.id, record.kind, record.severity, record.effective_on)
        earliest = domain.earliest_publicity_end(as_domain, enterprise.industry, ctx.policy)
        domain.check_repair_due(earliest, ctx.today)
        application.record_id = record.id
    await _refuse_second_pending(application, uow)
    uow.session.add(application)
    await uow.session.flush()
    return application


async def decide_repair(
    application_id: int,
    approve: bool,
    reason: str,
    principal: Principal,
    uow: UnitOfWork,
    ctx: Context,
) -> RepairApplication:
    application = await uow.session.get(RepairApplication, application_id, with_for_update=True)
    enterprise = application and await uow.session.get(Enterprise, application.credit_code)
    if application is None or not principal.covers_region(enterprise.region_code):
        raise RepairNotFound(str(application_id))
    if application.status != "pending":
        raise RuleViolation(f"this application was already {application.status}")
    application.status = "approved" if approve else "refused"
    application.decided_by = f"{principal.role}:{principal.subject}"
    application.decided_at, application.decision_reason = ctx.now, reason
    if approve:
        await _repair(application, enterprise, uow, ctx)
    decided = RepairDecided(
        credit_code=enterprise.credit_code,
        application_id=application.id,
        target=application.target,
        approved=approve,
        decided_on=ctx.today,
    )
    uow.publish(decided.event(subject=enterprise.credit_code, time=ctx.now))
    return application


async def _repair(
    application: RepairApplication, enterprise: Enterprise, uow: UnitOfWork, ctx: Context
) -> None:
    """Approved: the listing ends, or the penalty stops being public; history is kept."""
    if application.target == "penalty_publicity":
        record = await uow.session.get(CreditRecord, application.record_id, with_for_update=True)
        record.public = False
        return
    listing = await uow.session.get(Listing, application.listing_id, with_for_update=True)
    listing.delisted_on = ctx.today
    enterprise.listed = False
    delisted = EnterpriseDelisted(
        credit_code=enterprise.credit_code,
        region_code=enterprise.region_code,
        listed_on=listing.listed_on,
        delisted_on=ctx.today,
        reason="repair_approved",
    )
    uow.publish(delisted.event(subject=enterprise.credit_code, time=ctx.now))
    await regrade(enterprise.credit_code, uow, ctx, cause=f"repair:{application.id}")


async def _refuse_second_pending(application: RepairApplication, uow: UnitOfWork) -> None:
    query = select(RepairApplication.id).where(
        RepairApplication.credit_code == application.credit_code,
        RepairApplication.status == "pending",
        RepairApplication.target == application.target,
        RepairApplication.record_id.is_not_distinct_from(application.record_id),
    )
    if (await uow.session.scalars(query)).first() is not None:
        raise RuleViolation("an application for this is already waiting for a decision")
