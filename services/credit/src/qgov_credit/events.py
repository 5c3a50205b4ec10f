"""The facts the credit service publishes on `qgov.credit`, keyed by the enterprise's credit
code: one model per event type, from which both the CloudEvent and its schema are made."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from qgov_credit import domain
from qgov_credit.domain import Assessment
from qgov_credit.policy import CreditPolicy, Grade
from qgov_shared.envelope import CloudEvent
from qgov_shared.events import CreditCode, EventData, RegionCode

Score = Annotated[int, Field(ge=0, le=100)]


def _distinct(flags: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(flags)) < len(flags):
        raise ValueError("each flag is named once")
    return flags


class Reason(BaseModel):
    """One live record and what it does to the score."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record_id: int = Field(ge=1)
    kind: str
    severity: str
    points: int
    effective_on: date
    counts_until: date
    public: bool = Field(
        description="whether the record is shown outside the regulators and the enterprise"
    )

    @classmethod
    def of(cls, reason: domain.Reason, policy: CreditPolicy) -> Reason:
        """The published form of a domain reason; `public` tells readers outside the
        regulator and the enterprise whether they may show it."""
        return cls(
            record_id=reason.record_id,
            kind=reason.kind,
            severity=reason.severity,
            points=reason.points,
            effective_on=reason.effective_on,
            counts_until=reason.counts_until,
            public=policy.kinds[reason.kind].public,
        )

    @classmethod
    def all_of(cls, assessment: Assessment, policy: CreditPolicy) -> tuple[Reason, ...]:
        """The assessment's reasons, in its order."""
        return tuple(cls.of(reason, policy) for reason in assessment.reasons)


def published(reason: domain.Reason, policy: CreditPolicy) -> dict[str, Any]:
    """A reason as events and the file's history carry it: `Reason.of(...).model_dump(mode=
    "json")` (a unit test holds them equal, field by field), made directly, since a rebuild
    makes one for every live record of every file and the model's round trip was most of it."""
    return {
        "record_id": reason.record_id,
        "kind": reason.kind,
        "severity": reason.severity,
        "points": reason.points,
        "effective_on": reason.effective_on.isoformat(),
        "counts_until": reason.counts_until.isoformat(),
        "public": policy.kinds[reason.kind].public,
    }


class EnterpriseFact(EventData):
    """What every fact about an enterprise's standing says first: whose, and where supervised."""

    credit_code: CreditCode
    region_code: RegionCode


class RecordAdded(EnterpriseFact):
    """A record was added to an enterprise's credit file, by a regulator's entry or from
    another service's event; published with the record, whatever it does to the score, so a
    reader can look back further than the score does (award programmes look back five years)."""

    TYPE: ClassVar[str] = "qgov.credit.record.added.v1"
    record_id: int = Field(ge=1)
    kind: str = Field(min_length=1, max_length=60)
    severity: str = Field(min_length=1, max_length=20)
    occurred_on: date = Field(
        description="the day the fact took effect (the record's effective_on)"
    )
    public: bool = Field(
        description="whether the record is shown outside the regulators and the enterprise"
    )


class GradeChanged(EnterpriseFact):
    """An enterprise's credit score or grade changed; its reasons are the live records behind it."""

    TYPE: ClassVar[str] = "qgov.credit.grade.changed.v1"
    previous_grade: Grade
    grade: Grade
    previous_score: Score
    score: Score
    rule_version: str = Field(min_length=1)
    cause: str = Field(
        min_length=1,
        description="what prompted the assessment: event:<type>:<id>, record:<id>, repair:<id>, "
        "records_expired_or_took_effect, or rebuild",
    )
    assessed_on: date
    reasons: tuple[Reason, ...]

    def announce(
        self, reasons: list[dict[str, Any]], *, subject: str, time: datetime
    ) -> CloudEvent:
        """This change's event, carrying `reasons` already in published form (`published`,
        made once per record rather than again for every change it explains: a file's ~40
        reasons per change were most of an intake's work). The rest of the change is
        validated here, as `event` does."""
        event = self.event(subject=subject, time=time)
        return event.model_copy(update={"data": {**event.data, "reasons": reasons}})


class EnterpriseListed(EnterpriseFact):
    """An enterprise was put on the serious-violation list (严重违法失信名单)."""

    TYPE: ClassVar[str] = "qgov.credit.enterprise.listed.v1"
    listed_on: date
    reason: str = Field(
        min_length=1, description="the record kind that listed it, or repeated_<kind>"
    )
    earliest_delisting_on: date
    joint_punishment: Annotated[tuple[str, ...], AfterValidator(_distinct)] = Field(
        json_schema_extra={"uniqueItems": True},
        description="flags other services apply while the listing lasts",
    )


class EnterpriseDelisted(EnterpriseFact):
    """An approved credit repair ended an enterprise's listing; its history stays, not public."""

    TYPE: ClassVar[str] = "qgov.credit.enterprise.delisted.v1"
    listed_on: date
    delisted_on: date
    reason: Literal["repair_approved"]


class RepairDecided(EventData):
    """A regulator decided an enterprise's credit-repair application (信用修复)."""

    TYPE: ClassVar[str] = "qgov.credit.repair.decided.v1"
    credit_code: CreditCode
    application_id: int = Field(ge=1)
    target: Literal["listing", "penalty_publicity"]
    approved: bool
    decided_on: date


EVENTS = (RecordAdded, GradeChanged, EnterpriseListed, EnterpriseDelisted, RepairDecided)
