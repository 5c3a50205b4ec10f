"""The credit service's events in the read model: an enterprise's grade, score, reasons and
listing on its profile, and each grade change as an entry of the regulators' credit feed."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel

from qgov_gateway.projections import profiles
from qgov_gateway.projections.base import Chunk, EventView, Projection, Write
from qgov_shared.envelope import CloudEvent

GRADE_CHANGED = "qgov.credit.grade.changed.v1"
ENTERPRISE_LISTED = "qgov.credit.enterprise.listed.v1"
ENTERPRISE_DELISTED = "qgov.credit.enterprise.delisted.v1"

Grade = Literal["A", "B", "C", "D"]
"""Credit grades, best first (credit's `grade.changed`)."""


class Reason(BaseModel):
    """A record behind a credit score, as credit names it and the gateway shows it."""

    record_id: int
    kind: str
    severity: str
    points: int
    effective_on: date
    counts_until: date
    public: bool


class GradeChanged(EventView):
    credit_code: str
    region_code: str
    previous_grade: Grade
    grade: Grade
    previous_score: int
    score: int
    rule_version: str
    reasons: list[Reason]


class EnterpriseDelisted(EventView):
    credit_code: str
    region_code: str


class EnterpriseListed(EnterpriseDelisted):
    listed_on: date
    reason: str
    earliest_delisting_on: date
    joint_punishment: list[str]


# Held from before a chunk's feed entries are inserted to its commit, so entries commit in
# cursor order and a reader paging by cursor never passes over one that commits later with a
# smaller cursor.
FEED_LOCK_ID = 0x6665_6564  # "feed"

_GRADE = Write("""
UPDATE enterprise_profiles
SET grade = $2, score = $3, rule_version = $4, reasons = $5::jsonb, graded_at = $6
WHERE credit_code = $1
""")
_FEED_ENTRY = Write(
    """
INSERT INTO credit_changes (credit_code, region_code, previous_grade, grade, previous_score,
    score, changed_at, reasons)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)
""",
    lock=FEED_LOCK_ID,
)
_LISTING = Write("UPDATE enterprise_profiles SET listing = $2::jsonb WHERE credit_code = $1")


def grade_changed(data: GradeChanged, event: CloudEvent, chunk: Chunk) -> None:
    code = data.credit_code
    reasons = json.dumps([reason.model_dump(mode="json") for reason in data.reasons])
    profiles.seen(chunk, code, event.time, region_code=data.region_code)
    chunk.write(_GRADE, code, data.grade, data.score, data.rule_version, reasons, event.time)
    chunk.write(
        _FEED_ENTRY,
        code,
        data.region_code,
        data.previous_grade,
        data.grade,
        data.previous_score,
        data.score,
        event.time,
        reasons,
    )


def enterprise_listed(data: EnterpriseListed, event: CloudEvent, chunk: Chunk) -> None:
    listing = data.model_dump(mode="json", exclude={"credit_code", "region_code"})
    _set_listing(chunk, data, event, json.dumps(listing))


def enterprise_delisted(data: EnterpriseDelisted, event: CloudEvent, chunk: Chunk) -> None:
    _set_listing(chunk, data, event, None)


def _set_listing(
    chunk: Chunk, data: EnterpriseDelisted, event: CloudEvent, listing: str | None
) -> None:
    profiles.seen(chunk, data.credit_code, event.time, region_code=data.region_code)
    chunk.write(_LISTING, data.credit_code, listing)


PROJECTIONS: dict[str, Projection] = {
    GRADE_CHANGED: Projection(GradeChanged, grade_changed),
    ENTERPRISE_LISTED: Projection(EnterpriseListed, enterprise_listed),
    ENTERPRISE_DELISTED: Projection(EnterpriseDelisted, enterprise_delisted),
}
