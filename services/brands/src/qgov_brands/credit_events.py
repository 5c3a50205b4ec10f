"""Credit's events as this service reads them: its own models of the fields it uses, held to
credit's contracts by `tests/unit/test_credit_contracts.py`, never credit's package.

`RecordAdded` is an event credit does not publish yet: this service needs it to look back five
years for serious accidents and violations (credit's `grade.changed` names only the records
still counting towards the score, some for three years). Its model here is the contract
proposed to credit; until credit publishes it, the exclusions see what `grade.changed` says."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from qgov_shared.events import CreditCode, EventData, RegionCode

GRADE_CHANGED = "qgov.credit.grade.changed.v1"
LISTED = "qgov.credit.enterprise.listed.v1"
DELISTED = "qgov.credit.enterprise.delisted.v1"


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


class RecordAdded(EventData):
    """Proposed to credit: a record was added to an enterprise's credit file (by a regulator's
    entry or from another service's event), published with the record, whatever it scores."""

    TYPE: ClassVar[str] = "qgov.credit.record.added.v1"
    credit_code: CreditCode
    region_code: RegionCode
    record_id: int = Field(ge=1)
    kind: Annotated[str, Field(min_length=1, max_length=60)]
    severity: Annotated[str, Field(min_length=1, max_length=20)]
    occurred_on: date = Field(
        description="the day the fact took effect (the record's effective_on)"
    )
    public: bool
