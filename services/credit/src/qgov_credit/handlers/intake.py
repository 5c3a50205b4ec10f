"""Facts from other services, taken in by the `credit.intake` group: a record where the
policy's intake rules name one, and a line in the intake log for every event either way.

The consumer hands over a chunk of events at a time; the chunk is applied with the effect of
applying its events one by one, in order (the same records, listings, grades and published
events), with one statement per table: one intake-log insert, one record insert, one locked
read of the files concerned, one write of each back (`grading.take_records`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from qgov_credit.domain import Record
from qgov_credit.handlers import CHINA, Context
from qgov_credit.handlers.files import open_files, record_row, store_records
from qgov_credit.handlers.grading import Taken, take_records
from qgov_credit.models import IntakeEntry
from qgov_credit.policy import IntakeRule
from qgov_shared.envelope import CloudEvent
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import InvalidCreditCode, parse_credit_code

_LOG = FastInsert(IntakeEntry.__table__)


async def take_in(event: CloudEvent, uow: UnitOfWork, ctx: Context) -> None:
    """Apply one event from another service: a record if a rule says so, else a log line."""
    await take_in_all([event], uow, ctx)


async def take_in_all(events: list[CloudEvent], uow: UnitOfWork, ctx: Context) -> None:
    """Apply a chunk of events from other services, in order."""
    log, named, rows, causes = [], [], [], []
    for event in events:
        rule = ctx.policy.intake_for(event.type, event.data)
        code = _credit_code(event.subject)
        outcome = "recorded" if rule and code else "no_rule" if rule is None else "no_enterprise"
        log.append(
            {
                "event_id": event.id,
                "event_type": event.type,
                "credit_code": code,
                "outcome": outcome,
                "received_at": ctx.now,
            }
        )
        if outcome != "recorded":
            continue
        name = event.data.get("respondent_name") or event.data.get("enterprise_name") or code
        named.append((code, name, None))
        rows.append(_record_of(event, rule, code, ctx))
        causes.append(f"event:{event.type}:{event.id}")
    await _LOG.many(await uow.connection(), log)
    if not rows:
        return
    files = await open_files(named, uow, ctx)
    await store_records(rows, uow)
    taken = [
        Taken(
            row["credit_code"],
            Record(row["id"], row["kind"], row["severity"], row["effective_on"]),
            cause,
        )
        for row, cause in zip(rows, causes, strict=True)
    ]
    await take_records(taken, files, uow, ctx)


def _record_of(event: CloudEvent, rule: IntakeRule, code: str, ctx: Context) -> dict[str, Any]:
    """The record a rule makes of an event, dated the day its data names (else its time)."""
    occurred = event.data.get(rule.occurred_on) if rule.occurred_on else None
    effective_on = date.fromisoformat(occurred) if occurred else event.time.astimezone(CHINA).date()
    return record_row(code, rule.kind, rule.severity, effective_on, ctx, source_event=event)


def _credit_code(subject: str | None) -> str | None:
    """The event's subject as the API spells a credit code; None if it is no valid one."""
    try:
        return parse_credit_code(subject).value if subject is not None else None
    except InvalidCreditCode:
        return None
