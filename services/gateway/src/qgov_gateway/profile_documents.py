"""Each enterprise's profile as one stored document (`profile_documents`), so the platform's
hottest read is one primary-key lookup of JSON that was validated when it was written.

Every write to what a profile shows rebuilds that enterprise's documents in the same
transaction, once per chunk of events: the read model's consumer (`handlers.take_in`) and
onboarding both end with `store`. A document whose layout predates `LAYOUT` (or a profile
with none, from before documents existed) is rebuilt at start by `rebuild_stale`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from qgov_gateway import domain
from qgov_gateway.projections import SECTIONS
from qgov_gateway.schemas import ProfileDocument
from qgov_shared.uow import UnitOfWork

LAYOUT = 2
"""The documents' layout: raise it when what a document holds changes, and every stored one
is rebuilt at the next start."""
HISTORY_SHOWN = 20
REBUILD_BATCH = 500
EMPTY_SECTIONS = ("awards", "standards", "recalls", "certificates", "inspections")

# One statement for all a chunk's documents: each profile with its newest grade changes and
# its submissions counted by kind, status and overdue, as arrays (asyncpg decodes them, times
# included, as the columns would be).
_SOURCE_ROWS = """
SELECT profile.credit_code, profile.name, profile.region_code, profile.grade, profile.score,
    profile.rule_version, profile.reasons, profile.graded_at, profile.listing, profile.updated_at,
    history.previous_grades, history.grades, history.previous_scores, history.scores,
    history.changed_ats, counted.kinds, counted.statuses, counted.overdue, counted.counts
FROM enterprise_profiles AS profile
CROSS JOIN LATERAL (
    SELECT array_agg(previous_grade ORDER BY cursor DESC) AS previous_grades,
        array_agg(grade ORDER BY cursor DESC) AS grades,
        array_agg(previous_score ORDER BY cursor DESC) AS previous_scores,
        array_agg(score ORDER BY cursor DESC) AS scores,
        array_agg(changed_at ORDER BY cursor DESC) AS changed_ats
    FROM (
        SELECT * FROM credit_changes WHERE credit_code = profile.credit_code
        ORDER BY cursor DESC LIMIT $2
    ) AS newest
) AS history
CROSS JOIN LATERAL (
    SELECT array_agg(kind) AS kinds, array_agg(status) AS statuses,
        array_agg(overdue) AS overdue, array_agg(count) AS counts
    FROM (
        SELECT kind, status,
            overdue_at IS NOT NULL AND overdue_at >= status_at AND status <> ALL($3::varchar[])
                AS overdue,
            count(*) AS count
        FROM submission_views WHERE credit_code = profile.credit_code
        GROUP BY 1, 2, 3
    ) AS by_status
) AS counted
WHERE profile.credit_code = ANY($1::varchar[])
ORDER BY profile.credit_code
"""
_STORE = """
INSERT INTO profile_documents (credit_code, region_code, layout, public_view, full_view)
VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
ON CONFLICT (credit_code) DO UPDATE SET region_code = excluded.region_code,
    layout = excluded.layout, public_view = excluded.public_view, full_view = excluded.full_view
"""
_STALE = """
SELECT profile.credit_code FROM enterprise_profiles AS profile
LEFT JOIN profile_documents AS document USING (credit_code)
WHERE document.credit_code IS NULL OR document.layout < $1
ORDER BY profile.credit_code LIMIT $2
FOR UPDATE OF profile SKIP LOCKED
"""


@dataclass(frozen=True)
class Documents:
    """One enterprise's two documents, as JSON text."""

    region_code: str
    public_view: str
    full_view: str


async def build(connection: asyncpg.Connection, codes: Sequence[str]) -> dict[str, Documents]:
    """The documents of those of `codes` that have a profile, in code order, from the read
    model's tables as `connection` sees them (inside a writing transaction: with its own
    writes). `connection` is one of the engine's, which decode JSON columns."""
    codes = list(codes)
    rows = await connection.fetch(_SOURCE_ROWS, codes, HISTORY_SHOWN, sorted(domain.FINISHED))
    sections = {name: {} for name in EMPTY_SECTIONS}
    if rows:
        for section in SECTIONS:
            sections[section.name] = await section.read(connection, codes)
    return {row["credit_code"]: _documents(row, sections) for row in rows}


def _history(row: asyncpg.Record) -> list[dict[str, Any]]:
    steps = zip(*(row[column] or () for column in _HISTORY_COLUMNS), strict=True)
    return [dict(zip(_STEP_FIELDS, step, strict=True)) for step in steps]


def _counts(row: asyncpg.Record) -> list[domain.SubmissionCount]:
    columns = (row["kinds"], row["statuses"], row["overdue"], row["counts"])
    return [
        domain.SubmissionCount(*count) for count in zip(*(c or () for c in columns), strict=True)
    ]


_STEP_FIELDS = ("previous_grade", "grade", "previous_score", "score", "changed_at")
_HISTORY_COLUMNS = ("previous_grades", "grades", "previous_scores", "scores", "changed_ats")


def _documents(
    profile: asyncpg.Record, sections: dict[str, dict[str, list[dict[str, Any]]]]
) -> Documents:
    code = profile["credit_code"]
    history, counts = _history(profile), _counts(profile)

    def view(*, full: bool) -> str:
        document = ProfileDocument.model_validate(
            {
                "credit_code": code,
                "name": profile["name"],
                "region_code": profile["region_code"],
                "credit": {
                    "grade": profile["grade"],
                    "score": profile["score"],
                    "listed": profile["listing"] is not None,
                    "listing": profile["listing"],
                    "reasons": domain.shown_reasons(profile["reasons"], full=full),
                    "rule_version": profile["rule_version"],
                    "graded_at": profile["graded_at"],
                    "history": history,
                },
                "complaints": domain.complaint_statistics(counts, full=full),
                **{name: items.get(code, []) for name, items in sections.items()},
                "as_of": profile["updated_at"],
            }
        )
        return document.model_dump_json()

    return Documents(profile["region_code"], view(full=False), view(full=True))


async def store(connection: asyncpg.Connection, codes: Sequence[str]) -> None:
    """Rebuild and store the documents of `codes`, in `connection`'s transaction; in code
    order, so two transactions storing the same documents never wait on each other in turn."""
    if not codes:
        return
    documents = await build(connection, sorted(codes))
    await connection.executemany(
        _STORE,
        [
            (code, built.region_code, LAYOUT, built.public_view, built.full_view)
            for code, built in documents.items()
        ],
    )


async def rebuild_stale(
    unit_of_work: Callable[[], UnitOfWork], stop: asyncio.Event | None = None
) -> int:
    """Rebuild every document missing or of an older layout, `REBUILD_BATCH` profiles per
    transaction (skipping those a consumer holds: it stores theirs itself), until done or
    `stop` is set; how many."""
    rebuilt = 0
    while stop is None or not stop.is_set():
        async with unit_of_work() as uow:
            connection = await uow.connection()
            codes = [row[0] for row in await connection.fetch(_STALE, LAYOUT, REBUILD_BATCH)]
            await store(connection, codes)
            await uow.commit()
        rebuilt += len(codes)
        if len(codes) < REBUILD_BATCH:
            break
    return rebuilt
