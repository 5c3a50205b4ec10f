"""A credit file's header and records: regulators open files and enter records, and every new
record, from a regulator or an event, may list the enterprise and regrades it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from qgov_credit import domain
from qgov_credit.domain import EnterpriseNotFound, Record, RuleViolation
from qgov_credit.handlers import Context, assessments
from qgov_credit.handlers.assessments import File
from qgov_credit.handlers.grading import Taken, take_records
from qgov_credit.models import CreditRecord, Enterprise, FileReasons
from qgov_shared.auth import Principal
from qgov_shared.envelope import CloudEvent
from qgov_shared.sql import FastInsert
from qgov_shared.uow import UnitOfWork
from qgov_shared.uscc import parse_credit_code

_RENAME = """
UPDATE enterprises AS e SET name = v.name
FROM unnest($1::varchar[], $2::varchar[]) AS v (credit_code, name)
WHERE e.credit_code = v.credit_code
"""
# Ids drawn in one go, so a chunk's records get them in the order they came in.
_RECORD_IDS = """
SELECT nextval(pg_get_serial_sequence('credit_records', 'id')) FROM generate_series(1, $1)
"""
_LOCK_CODES = """
SELECT pg_advisory_xact_lock(hashtextextended(code, 0)) FROM unnest($1::text[]) AS code
"""
_NEW_FILE = FastInsert(Enterprise.__table__)
_NEW_REASONS = FastInsert(FileReasons.__table__)
_NEW_RECORD = FastInsert(CreditRecord.__table__)


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
    files = await open_files([(code, code, None)], uow, ctx)
    if not principal.covers_region(files[code].region_code):
        raise EnterpriseNotFound(code)
    entered_by = f"{principal.role}:{principal.subject}"
    row = record_row(code, kind, severity, occurred_on, ctx, note=note, entered_by=entered_by)
    await store_records([row], uow)
    record = Record(row["id"], kind, severity, occurred_on)
    await take_records([Taken(code, record, cause=f"record:{record.id}")], files, uow, ctx)
    return CreditRecord(**row)


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
    """The enterprise's file, locked; opened the first time it is named (`open_files`)."""
    await open_files([(code, name, region_code)], uow, ctx)
    return await uow.session.get(Enterprise, code, populate_existing=True)


async def open_files(
    named: Sequence[tuple[str, str, str | None]], uow: UnitOfWork, ctx: Context
) -> dict[str, File]:
    """The files of the enterprises `named` (credit code, name, region or None), in that
    order, locked: a file is opened, graded on no records, the first time its enterprise is
    named, and takes a name when it was opened under its bare code. The region comes from the
    code (positions 3-8) unless given: where a complaint arose is not where the enterprise is
    registered."""
    connection = await uow.connection()
    codes = sorted({code for code, _, _ in named})
    # A row lock cannot guard a file not yet opened: two writers naming a new enterprise at
    # once would both open it. Each takes the codes' locks first (in order), so the second
    # finds the first's file.
    await connection.execute(_LOCK_CODES, codes)
    files = await assessments.files(connection, codes)
    stored = {code: file.name for code, file in files.items()}
    opened = []
    for code, name, region in named:
        file = files.get(code)
        if file is None:
            region = region or parse_credit_code(code).region_code
            files[code] = file = File.opened(code, name, region, ctx)
            opened.append(file)
        elif file.name == code and name != code:  # opened before anyone named it
            file.name = name
    await _NEW_FILE.many(connection, [_new_file_row(file, ctx) for file in opened])
    await _NEW_REASONS.many(
        connection, [{"credit_code": f.credit_code, "reasons": []} for f in opened]
    )
    renamed = [code for code, name in stored.items() if files[code].name != name]
    if renamed:
        await connection.execute(_RENAME, renamed, [files[code].name for code in renamed])
    return files


def _new_file_row(file: File, ctx: Context) -> dict[str, Any]:
    return {
        "credit_code": file.credit_code,
        "name": file.name,
        "region_code": file.region_code,
        "industry": None,
        "score": file.score,
        "grade": file.grade,
        "rule_version": file.rule_version,
        "assessed_on": file.assessed_on,
        "next_change_on": file.next_change_on,
        "listed": file.listed,
        "created_at": ctx.now,
    }


def record_row(
    code: str,
    kind: str,
    severity: str,
    effective_on: date,
    ctx: Context,
    *,
    source_event: CloudEvent | None = None,
    note: str | None = None,
    entered_by: str | None = None,
) -> dict[str, Any]:
    """A new record's row, tied to the event or the regulator it came from."""
    return {
        "credit_code": code,
        "kind": kind,
        "severity": severity,
        "effective_on": effective_on,
        "public": ctx.policy.kinds[kind].public,
        "note": note,
        "source_event_id": source_event.id if source_event else None,
        "source_event_type": source_event.type if source_event else None,
        "entered_by": entered_by,
        "created_at": ctx.now,
    }


async def store_records(rows: list[dict[str, Any]], uow: UnitOfWork) -> None:
    """Insert records (into files already open), giving each row its `id` in their order."""
    connection = await uow.connection()
    ids = sorted(id for (id,) in await connection.fetch(_RECORD_IDS, len(rows)))
    for row, id in zip(rows, ids, strict=True):
        row["id"] = id
    await _NEW_RECORD.many(connection, rows)
