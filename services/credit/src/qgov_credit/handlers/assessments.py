"""Each file's stored assessment as a chunk of work sees it: read and locked for all of the
chunk's enterprises at once, changed in memory, and written back with one statement per table.

These run for every chunk the intake takes and every chunk of a rebuild, so they go to asyncpg
directly, inside the unit of work's transaction (`uow.connection()`). Files are always locked
in credit-code order, so two chunks that share enterprises cannot deadlock.
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg
import pydantic_core

from qgov_credit import domain
from qgov_credit.domain import Record
from qgov_credit.events import published
from qgov_credit.handlers import Context

_FILE_COLUMNS = """e.credit_code, e.name, e.region_code, e.score, e.grade, e.rule_version,
    e.assessed_on, e.next_change_on, e.listed"""
_BY_CODE = f"""
SELECT {_FILE_COLUMNS}, coalesce(r.reasons, h.reasons)::text AS reasons
FROM enterprises AS e
LEFT JOIN file_reasons AS r ON r.credit_code = e.credit_code
LEFT JOIN grade_changes AS h ON h.id = r.history_id
WHERE e.credit_code = ANY($1::varchar[])
ORDER BY e.credit_code
FOR UPDATE OF e
"""
# A rebuild and the periodic regrade assess from the records anyway: no stored reasons needed.
_AFTER_CODE = f"""
SELECT {_FILE_COLUMNS}, NULL AS reasons FROM enterprises AS e
WHERE e.credit_code > $1
ORDER BY e.credit_code LIMIT $2
FOR UPDATE
"""
_DUE = f"""
SELECT {_FILE_COLUMNS}, NULL AS reasons FROM enterprises AS e
WHERE e.next_change_on <= $1
ORDER BY e.next_change_on, e.credit_code LIMIT $2
FOR UPDATE SKIP LOCKED
"""
_RECORDS = """
SELECT credit_code, id, kind, severity, effective_on FROM credit_records
WHERE credit_code = ANY($1::varchar[])
"""
_STORE_FILES = """
UPDATE enterprises AS e SET score = v.score, grade = v.grade, listed = v.listed,
    next_change_on = v.next_change_on, rule_version = $6, assessed_on = $7
FROM unnest($1::varchar[], $2::int[], $3::varchar[], $4::bool[], $5::date[])
    AS v (credit_code, score, grade, listed, next_change_on)
WHERE e.credit_code = v.credit_code
"""
_STORE_REASONS = """
INSERT INTO file_reasons (credit_code, reasons, history_id)
SELECT credit_code, reasons::json, history_id
FROM unnest($1::varchar[], $2::text[], $3::bigint[]) AS v (credit_code, reasons, history_id)
ON CONFLICT (credit_code) DO UPDATE SET reasons = excluded.reasons, history_id = excluded.history_id
"""
_HISTORY_IDS = """
SELECT nextval(pg_get_serial_sequence('grade_changes', 'id')) FROM generate_series(1, $1)
"""
_STORE_HISTORY = """
INSERT INTO grade_changes (id, credit_code, previous_score, score, previous_grade, grade, cause,
    reasons, changed_at, assessed_on, rule_version)
SELECT id, credit_code, previous_score, score, previous_grade, grade, cause, reasons::json,
    $9, $10, $11
FROM unnest($1::bigint[], $2::varchar[], $3::int[], $4::int[], $5::varchar[], $6::varchar[],
    $7::varchar[], $8::text[])
    AS v (id, credit_code, previous_score, score, previous_grade, grade, cause, reasons)
"""


def reason_order(reason: dict[str, Any]) -> tuple[str, int]:
    """A published reason's place in its file's list: by day (ISO dates sort as days do),
    then record id, as `domain.assess` orders them."""
    return reason["effective_on"], reason["record_id"]


@dataclass
class GradeChange:
    """A row of the file's history, written when the chunk's files are stored."""

    previous_score: int
    score: int
    previous_grade: str
    grade: str
    cause: str
    reasons: str  # JSON text
    id: int | None = None  # given when stored


@dataclass
class File:
    """One enterprise's file header and stored assessment, as the chunk has changed it."""

    credit_code: str
    name: str
    region_code: str
    score: int
    grade: str
    rule_version: str
    assessed_on: date
    next_change_on: date | None
    listed: bool
    reasons: list[dict[str, Any]] | None
    """The stored assessment's reasons in published form, in `reason_order`; None if the file
    has none stored (opened before they were)."""
    changes: list[GradeChange] = field(default_factory=list)
    _reasons_text: str | None = None
    _told: bool = False  # whether the last change told the reasons as they stand

    @classmethod
    def opened(cls, code: str, name: str, region_code: str, ctx: Context) -> File:
        """A file opened today, graded on no records."""
        fresh = domain.assess([], ctx.today, ctx.policy)
        return cls(
            credit_code=code,
            name=name,
            region_code=region_code,
            score=fresh.score,
            grade=fresh.grade,
            rule_version=fresh.rule_version,
            assessed_on=ctx.today,
            next_change_on=fresh.next_change_on,
            listed=False,
            reasons=[],
        )

    @property
    def standing(self) -> domain.Standing:
        return domain.Standing(sum(r["points"] for r in self.reasons or ()), self.next_change_on)

    def holds(self, ctx: Context) -> bool:
        """Whether the stored assessment can be extended today, rather than made again."""
        current = domain.is_current(
            self.assessed_on, self.next_change_on, self.rule_version, ctx.today, ctx.policy
        )
        return current and self.reasons is not None

    def restate(self, assessment: domain.Assessment, ctx: Context) -> None:
        """Take `assessment`'s reasons and dates as the stored ones; its score and grade
        are the caller's to settle (and announce)."""
        self.reasons = [published(reason, ctx.policy) for reason in assessment.reasons]
        self.next_change_on, self._reasons_text, self._told = assessment.next_change_on, None, False
        self.assessed_on, self.rule_version = ctx.today, ctx.policy.version

    def add_reason(self, reason: dict[str, Any]) -> None:
        insort(self.reasons, reason, key=reason_order)
        self._reasons_text, self._told = None, False

    def changed(self, change: GradeChange) -> None:
        """Keep an announced change for the history; it tells the reasons as they stand."""
        self.changes.append(change)
        self._told = True

    def stored_reasons(self) -> tuple[str | None, GradeChange | None]:
        """The reasons to store: the history row that tells them, when the file's last
        change does (most changes), or else their JSON. One ~6 KB copy fewer to write."""
        if self._told:
            return None, self.changes[-1]
        return self.reasons_text(), None

    def reasons_text(self) -> str:
        """The reasons as JSON, made once however many rows and events carry them."""
        if self._reasons_text is None:
            self._reasons_text = pydantic_core.to_json(self.reasons or []).decode()
        return self._reasons_text


async def files(connection: asyncpg.Connection, codes: Iterable[str]) -> dict[str, File]:
    """The files of these enterprises, locked, with their stored reasons."""
    rows = await connection.fetch(_BY_CODE, sorted(set(codes)))
    return _files(rows)


async def files_after(connection: asyncpg.Connection, after: str, limit: int) -> dict[str, File]:
    """Up to `limit` files whose credit codes follow `after`, in order, locked."""
    return _files(await connection.fetch(_AFTER_CODE, after, limit))


async def files_due(connection: asyncpg.Connection, today: date, limit: int) -> dict[str, File]:
    """Up to `limit` files a record starts or stops counting for by `today`, locked; files
    another transaction holds are left for the next run."""
    return _files(await connection.fetch(_DUE, today, limit))


async def records_of(
    connection: asyncpg.Connection, codes: Sequence[str]
) -> dict[str, list[Record]]:
    """Every record of these enterprises, by enterprise (in no particular order: an
    assessment orders what it needs)."""
    records: dict[str, list[Record]] = defaultdict(list)
    if not codes:
        return records
    for row in await connection.fetch(_RECORDS, list(codes)):
        records[row[0]].append(Record(row[1], row[2], row[3], row[4]))
    return records


async def store(connection: asyncpg.Connection, files: Iterable[File], ctx: Context) -> None:
    """Write back every file's assessment (assessed today, under today's policy), its
    reasons, and the history rows of the changes it announced."""
    files = list(files)
    if not files:
        return
    await _store_history(connection, files, ctx)
    codes = [f.credit_code for f in files]
    stored = [f.stored_reasons() for f in files]
    await connection.execute(
        _STORE_REASONS,
        codes,
        [text for text, _ in stored],
        [change.id if change else None for _, change in stored],
    )
    await connection.execute(
        _STORE_FILES,
        codes,
        [f.score for f in files],
        [f.grade for f in files],
        [f.listed for f in files],
        [f.next_change_on for f in files],
        ctx.policy.version,
        ctx.today,
    )


async def _store_history(connection: asyncpg.Connection, files: list[File], ctx: Context) -> None:
    """The changes the files announced, each given its row id, in the order they were made."""
    changes = [(f.credit_code, change) for f in files for change in f.changes]
    if not changes:
        return
    ids = sorted(id for (id,) in await connection.fetch(_HISTORY_IDS, len(changes)))
    for (_, change), id in zip(changes, ids, strict=True):
        change.id = id
    await connection.execute(
        _STORE_HISTORY,
        ids,
        [code for code, _ in changes],
        *(
            [getattr(change, name) for _, change in changes]
            for name in ("previous_score", "score", "previous_grade", "grade", "cause")
        ),
        [change.reasons for _, change in changes],
        ctx.now,
        ctx.today,
        ctx.policy.version,
    )


def _files(rows: list[asyncpg.Record]) -> dict[str, File]:
    return {
        row["credit_code"]: File(
            **{
                **row,
                "reasons": pydantic_core.from_json(row["reasons"]) if row["reasons"] else None,
            }
        )
        for row in rows
    }
