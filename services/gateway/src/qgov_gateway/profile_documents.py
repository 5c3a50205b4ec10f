"""Each enterprise's profile as one stored document (`profile_documents`), so the platform's
hottest read is one primary-key lookup of JSON that was validated when it was written.

Every write to what a profile shows rebuilds that enterprise's documents in the same
transaction, once per chunk of events: the read model's consumer (`handlers.take_in`) and
onboarding both end with `store`. A document whose layout predates `LAYOUT` (or a profile
with none, from before documents existed) is rebuilt at start by `rebuild_stale`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from qgov_gateway import domain
from qgov_gateway.projections import SECTIONS
from qgov_gateway.schemas import ProfileDocument
from qgov_shared.uow import UnitOfWork

LAYOUT = 1
"""The documents' layout: raise it when what a document holds changes, and every stored one
is rebuilt at the next start."""
HISTORY_SHOWN = 20
REBUILD_BATCH = 500
EMPTY_SECTIONS = ("awards", "standards", "recalls", "certificates")

_PROFILES = """
SELECT credit_code, name, region_code, grade, score, rule_version, reasons, graded_at,
    listing, updated_at
FROM enterprise_profiles WHERE credit_code = ANY($1::varchar[])
ORDER BY credit_code
"""
_HISTORIES = """
SELECT wanted.credit_code, change.previous_grade, change.grade, change.previous_score,
    change.score, change.changed_at
FROM unnest($1::varchar[]) AS wanted (credit_code)
CROSS JOIN LATERAL (
    SELECT * FROM credit_changes WHERE credit_code = wanted.credit_code
    ORDER BY cursor DESC LIMIT $2
) AS change
ORDER BY wanted.credit_code, change.cursor DESC
"""
_SUBMISSION_COUNTS = """
SELECT credit_code, kind, status,
    overdue_at IS NOT NULL AND overdue_at >= status_at AND status <> ALL($2::varchar[])
        AS overdue,
    count(*) AS count
FROM submission_views WHERE credit_code = ANY($1::varchar[])
GROUP BY 1, 2, 3, 4
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
    profiles = await connection.fetch(_PROFILES, codes)
    if not profiles:
        return {}
    histories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in await connection.fetch(_HISTORIES, codes, HISTORY_SHOWN):
        code, *step = row.values()
        histories[code].append(dict(zip(_STEP_FIELDS, step, strict=True)))
    counts: dict[str, list[domain.SubmissionCount]] = defaultdict(list)
    for row in await connection.fetch(_SUBMISSION_COUNTS, codes, sorted(domain.FINISHED)):
        code, *count = row.values()
        counts[code].append(domain.SubmissionCount(*count))
    sections = {name: {} for name in EMPTY_SECTIONS}
    for section in SECTIONS:
        sections[section.name] = await section.read(connection, codes)
    return {row["credit_code"]: _documents(row, histories, counts, sections) for row in profiles}


_STEP_FIELDS = ("previous_grade", "grade", "previous_score", "score", "changed_at")


def _documents(
    profile: asyncpg.Record,
    histories: dict[str, list[dict[str, Any]]],
    counts: dict[str, list[domain.SubmissionCount]],
    sections: dict[str, dict[str, list[dict[str, Any]]]],
) -> Documents:
    code = profile["credit_code"]

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
                    "history": histories.get(code, []),
                },
                "complaints": domain.complaint_statistics(counts.get(code, []), full=full),
                **{name: items.get(code, []) for name, items in sections.items()},
                "as_of": profile["updated_at"],
            }
        )
        return document.model_dump_json()

    return Documents(profile["region_code"], view(full=False), view(full=True))


async def store(connection: asyncpg.Connection, codes: Sequence[str]) -> None:
    """Rebuild and store the documents of `codes`, in `connection`'s transaction; in code
    order, so two transactions storing the same documents never wait on each other in turn."""
    documents = await build(connection, sorted(codes))
    await connection.executemany(
        _STORE,
        [
            (code, built.region_code, LAYOUT, built.public_view, built.full_view)
            for code, built in documents.items()
        ],
    )


async def rebuild_stale(unit_of_work: Callable[[], UnitOfWork]) -> int:
    """Rebuild every document missing or of an older layout, `REBUILD_BATCH` profiles per
    transaction (skipping those a consumer holds: it stores theirs itself); how many."""
    rebuilt = 0
    while True:
        async with unit_of_work() as uow:
            connection = await uow.connection()
            codes = [row[0] for row in await connection.fetch(_STALE, LAYOUT, REBUILD_BATCH)]
            await store(connection, codes)
            await uow.commit()
        rebuilt += len(codes)
        if len(codes) < REBUILD_BATCH:
            return rebuilt
