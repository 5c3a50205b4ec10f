"""Facts from other services, taken in by the `credit.intake` group: a record where the
policy's intake rules name one, and a line in the intake log for every event either way."""

from __future__ import annotations

from datetime import date

from qgov_credit.handlers import CHINA, Context
from qgov_credit.handlers.files import add_record, ensure_enterprise, new_record
from qgov_credit.models import IntakeEntry
from qgov_shared.envelope import CloudEvent
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import is_valid_credit_code, parse_credit_code


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
    record = new_record(code, rule.kind, rule.severity, effective_on, ctx, source_event=event)
    await add_record(record, uow, ctx, cause=f"event:{event.type}:{event.id}")
