"""Credit's events as this service reads them: its own models of the fields it uses, held to
credit's contracts by `tests/unit/test_credit_contracts.py`, never credit's package.

The programmes' look-back (five years for serious accidents and violations) reads
`record.added`: `grade.changed` names only the records still counting towards the score, some
for three years only."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

GRADE_CHANGED = "qgov.credit.grade.changed.v1"
LISTED = "qgov.credit.enterprise.listed.v1"
DELISTED = "qgov.credit.enterprise.delisted.v1"
RECORD_ADDED = "qgov.credit.record.added.v1"


class _View(BaseModel):
    """Fields this service does not read are ignored, as consumers must."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    credit_code: str


class ReasonView(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)
    record_id: int
    kind: str
    severity: str
    effective_on: date


class GradeChangedView(_View):
    grade: Literal["A", "B", "C", "D"]
    reasons: tuple[ReasonView, ...]


class ListedView(_View):
    listed_on: date
    reason: str


class DelistedView(_View):
    delisted_on: date


class RecordAddedView(_View):
    record_id: int
    kind: str
    severity: str
    occurred_on: date
