"""The facts the standards service publishes on `qgov.standards`, keyed by the declaring
enterprise's credit code: one model per event type, from which both the CloudEvent and its
schema are made. Every event names its declaration the same way (`DeclarationEvent`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from qgov_shared.events import EventData, RegionCode
from qgov_standards.floor import FlagReason
from qgov_standards.supervision import Outcome, Source

Number = Annotated[str, Field(max_length=64, description="a standard number, canonical")]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class DeclarationEvent(EventData):
    """The declaration and its enterprise, as every standards event names them."""

    declaration_id: int = Field(ge=1)
    version: int = Field(ge=1, description="the declaration's version the fact is about")
    enterprise_name: Name
    region_code: RegionCode = Field(description="where the enterprise is registered")
    product_name: Name
    category: str = Field(max_length=40, description="one of the policy's product categories")


class StandardDeclared(DeclarationEvent):
    """An enterprise published the standards a product or service executes (自我声明公开)."""

    TYPE: ClassVar[str] = "qgov.standards.standard.declared.v1"
    standards: list[Number] = Field(min_length=1)
    declared_on: date


class StandardRevised(DeclarationEvent):
    """An enterprise published a new version of a declaration; the old one stays readable."""

    TYPE: ClassVar[str] = "qgov.standards.standard.revised.v1"
    standards: list[Number] = Field(min_length=1)
    revised_on: date


class StandardWithdrawn(DeclarationEvent):
    """An enterprise withdrew a declaration, with its reason; it stays on record."""

    TYPE: ClassVar[str] = "qgov.standards.standard.withdrawn.v1"
    reason: str = Field(min_length=1, max_length=500)
    withdrawn_on: date


class StandardCheckRecorded(DeclarationEvent):
    """A check of a declaration was recorded: by a regulator, or from an inspection's final
    result. Credit counts the regulators' checks; an inspection is counted from its own
    service's event, so this one says which it is."""

    TYPE: ClassVar[str] = "qgov.standards.standard.check_recorded.v1"
    check_id: int = Field(ge=1)
    outcome: Outcome
    findings: list[Annotated[str, Field(max_length=500)]]
    failing_indicators: list[Name]
    checked_on: date
    source: Source
    inspection_id: str | None = Field(max_length=64, description="when source is inspection")


class StandardFlagged(DeclarationEvent):
    """A catalogue change leaves a published declaration below the floor: a standard it cites
    is withdrawn, or a mandatory limit is now stricter than what it declares."""

    TYPE: ClassVar[str] = "qgov.standards.standard.flagged.v1"
    flag_id: int = Field(ge=1)
    reason: FlagReason
    standard_number: Number
    replaced_by: Number | None
    indicator: Name | None
    required: str | None = Field(max_length=200, description="the mandatory limit")
    declared: str | None = Field(max_length=200, description="what the declaration states")
    effective_on: date = Field(description="from when the declaration is non-compliant")
    flagged_on: date


class StandardFrontrunnersPublished(DeclarationEvent):
    """A category's ranking was published with a change to this declaration's title: it was
    named a frontrunner (领跑者), its rank changed, or it lost the title. The latest `ranking`
    of a category tells each declaration's current title."""

    TYPE: ClassVar[str] = "qgov.standards.standard.frontrunners_published.v1"
    plan_version: int = Field(ge=1)
    ranking: int = Field(ge=1, description="the category's ranking number, rising")
    rank: int | None = Field(ge=1, description="null when not ranked (an indicator missing)")
    score: str | None = Field(pattern=r"^[0-9]+\.[0-9]{4}$", description="out of 100")
    frontrunner: bool
    newly_named: bool = Field(description="a frontrunner now, not in the previous ranking")
    frontrunner_count: int = Field(ge=0)
    published_on: date


EVENTS = (
    StandardDeclared,
    StandardRevised,
    StandardWithdrawn,
    StandardCheckRecorded,
    StandardFlagged,
    StandardFrontrunnersPublished,
)
