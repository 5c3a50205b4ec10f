"""Each enterprise's assessment kept current: extended when a record comes in, made again from
the records when records start or stop counting with the calendar, on a repair and on a
rebuild; every new record and every change of score or grade published, the changes kept in
the file's history.

Work comes in chunks (a chunk of intake events, a page of a rebuild): the chunk's files are
read once, changed in memory, and stored once (`assessments`). A record extends a stored
assessment that still holds (`domain.extend`), which gives what assessing all the file's
records again would; only a file whose assessment no longer holds is assessed from its records,
once per chunk, before its new records extend it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from qgov_credit import domain
from qgov_credit.domain import Record
from qgov_credit.events import GradeChanged, RecordAdded, published
from qgov_credit.handlers import Context, assessments
from qgov_credit.handlers.assessments import File
from qgov_credit.handlers.listing import last_delistings, list_if_called_for
from qgov_shared.uow import UnitOfWork

REBUILD_CHUNK = 500
"""Files a rebuild assesses, and holds locked, per transaction."""
_YIELD_EVERY = 25  # files assessed between chances for other work (a chunk's writes) to go on


@dataclass(frozen=True)
class Taken:
    """A record just stored in an enterprise's file, and what prompted it (the `cause` its
    regrade announces)."""

    credit_code: str
    record: Record
    cause: str


async def take_records(
    taken: list[Taken], files: dict[str, File], uow: UnitOfWork, ctx: Context
) -> None:
    """List and regrade the `files` (locked) of records just stored, record by record in
    their order, with the effect of taking each alone: its listing check sees the records up
    to it, its regrade is announced against the grade the one before left."""
    connection = await uow.connection()
    repeats = {t.credit_code for t in taken if t.record.kind == ctx.policy.listing.repeated_kind}
    stale = {code for code, file in files.items() if not file.holds(ctx)}
    records = await assessments.records_of(connection, sorted(stale | repeats))
    delistings = await last_delistings(connection, sorted(repeats)) if repeats else {}
    new = {t.record.id for t in taken}
    for code in stale:  # as they stood before this chunk's records
        before = [r for r in records.get(code, ()) if r.id not in new]
        files[code].restate(domain.assess(before, ctx.today, ctx.policy), ctx)
    for item in taken:
        file = files[item.credit_code]
        # Only a repeat looks back, at the records up to it: read for it above.
        looks_back = item.record.kind == ctx.policy.listing.repeated_kind
        so_far = (
            [r for r in records[item.credit_code] if r.id <= item.record.id] if looks_back else []
        )
        last_delisted_on = delistings.get(item.credit_code)
        _announce_record(file, item.record, uow, ctx)
        await list_if_called_for(file, item.record, so_far, last_delisted_on, uow, ctx)
        _extend(file, item, uow, ctx)
    await assessments.store(connection, files.values(), ctx)


async def regrade(code: str, uow: UnitOfWork, ctx: Context, cause: str) -> None:
    """Assess the enterprise on its records again; record and announce any change."""
    # The ORM's pending changes (a delisting) first: the read below goes around the session.
    await uow.session.flush()
    connection = await uow.connection()
    await _regrade(await assessments.files(connection, [code]), uow, ctx, cause)


async def regrade_due(uow: UnitOfWork, ctx: Context, limit: int = 500) -> int:
    """Re-assess enterprises a record started or stopped counting for; how many."""
    files = await assessments.files_due(await uow.connection(), ctx.today, limit)
    await _regrade(files, uow, ctx, cause="records_expired_or_took_effect")
    return len(files)


async def rebuild(
    unit_of_work: Callable[[], UnitOfWork], ctx: Context, *, chunk: int = REBUILD_CHUNK
) -> dict[str, int]:
    """Assess every enterprise from its records alone, `chunk` files per transaction in
    credit-code order; how many files there were and how many moved. Each chunk commits on its
    own, so intake waits for a chunk's locks at most; a rebuild cut short leaves the chunks it
    committed rebuilt, and running it again finishes the job (what is rebuilt already does
    not move). A chunk is written and committed while the next is read and assessed, so the
    database's writing and this process's assessing overlap: two chunks are open at most."""
    enterprises = differing = 0
    after, writing = "", None
    try:
        while True:
            uow = unit_of_work()
            files, moved = await _assessed_chunk(uow, ctx, after, chunk)
            try:
                if writing is not None:
                    await writing  # the chunk before, committed
            except BaseException:
                await _close(uow)
                raise
            writing = asyncio.create_task(_committed(uow, files, ctx))
            enterprises, differing = enterprises + len(files), differing + moved
            if len(files) < chunk:
                await writing
                return {"enterprises": enterprises, "differing": differing}
            after = max(files)
    finally:
        if writing is not None and not writing.done():
            writing.cancel()  # the rebuild failed or was cancelled: so is the chunk in flight
            with contextlib.suppress(BaseException):
                await writing


async def _assessed_chunk(
    uow: UnitOfWork, ctx: Context, after: str, chunk: int
) -> tuple[dict[str, File], int]:
    """Open `uow` on the next chunk of files, locked, and assess them: the files, how many
    moved. The unit is left open for `_committed`, or closed if this fails."""
    await uow.__aenter__()
    try:
        files = await assessments.files_after(await uow.connection(), after, chunk)
        return files, await _assess(files, uow, ctx, cause="rebuild")
    except BaseException:
        await _close(uow)
        raise


async def _committed(uow: UnitOfWork, files: dict[str, File], ctx: Context) -> None:
    try:
        await assessments.store(await uow.connection(), files.values(), ctx)
        await uow.commit()
    finally:
        await _close(uow)


async def _close(uow: UnitOfWork) -> None:
    await uow.__aexit__(None, None, None)  # rolls back what was not committed


async def _regrade(files: dict[str, File], uow: UnitOfWork, ctx: Context, cause: str) -> None:
    """Assess each file on all its records, and store them."""
    await _assess(files, uow, ctx, cause)
    await assessments.store(await uow.connection(), files.values(), ctx)


async def _assess(files: dict[str, File], uow: UnitOfWork, ctx: Context, cause: str) -> int:
    """Assess each file on all its records, announcing what moved; how many did."""
    records = await assessments.records_of(await uow.connection(), list(files))
    moved = 0
    for n, (code, file) in enumerate(files.items(), start=1):
        assessment = domain.assess(records.get(code, ()), ctx.today, ctx.policy, listed=file.listed)
        file.restate(assessment, ctx)
        moved += _settle(file, assessment.score, assessment.grade, cause, uow, ctx)
        if n % _YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a rebuild's chunk in writing sends its next statement
    return moved


def _announce_record(file: File, record: Record, uow: UnitOfWork, ctx: Context) -> None:
    """Publish the new record, whatever it does to the score, ahead of what it does."""
    added = RecordAdded(
        credit_code=file.credit_code,
        region_code=file.region_code,
        record_id=record.id,
        kind=record.kind,
        severity=record.severity,
        occurred_on=record.effective_on,
        public=ctx.policy.kinds[record.kind].public,
    )
    uow.publish(added.event(subject=file.credit_code, time=ctx.now))


def _extend(file: File, taken: Taken, uow: UnitOfWork, ctx: Context) -> None:
    """The file's assessment with one more record: its points, its reason if it counts."""
    standing, reason = domain.extend(file.standing, taken.record, ctx.today, ctx.policy)
    if reason is not None:
        file.add_reason(published(reason, ctx.policy))
    file.next_change_on = standing.next_change_on
    score = domain.score_for(standing.points, ctx.policy)
    _settle(
        file, score, domain.grade_of(score, ctx.policy, listed=file.listed), taken.cause, uow, ctx
    )


def _settle(file: File, score: int, grade: str, cause: str, uow: UnitOfWork, ctx: Context) -> bool:
    """Give the file its new score and grade; announce them if they moved. Whether they did."""
    moved = (score, grade) != (file.score, file.grade)
    if moved:
        _announce(file, score, grade, cause, uow, ctx)
    file.score, file.grade = score, grade
    file.assessed_on, file.rule_version = ctx.today, ctx.policy.version
    return moved


def _announce(
    file: File, score: int, grade: str, cause: str, uow: UnitOfWork, ctx: Context
) -> None:
    """Publish the change, and keep it in the file's history as the event tells it."""
    changed = GradeChanged(
        credit_code=file.credit_code,
        region_code=file.region_code,
        previous_grade=file.grade,
        grade=grade,
        previous_score=file.score,
        score=score,
        rule_version=ctx.policy.version,
        cause=cause,
        assessed_on=ctx.today,
        reasons=(),
    )
    reasons = list(file.reasons)  # as they are now; later records of the chunk add to the file's
    uow.publish(changed.announce(reasons, subject=file.credit_code, time=ctx.now))
    file.changed(
        assessments.GradeChange(file.score, score, file.grade, grade, cause, file.reasons_text())
    )
