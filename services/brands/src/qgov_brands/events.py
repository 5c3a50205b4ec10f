"""The facts the brands service publishes on `qgov.brands`, keyed by the enterprise's credit
code: one model per event type, from which both the CloudEvent and its schema are made.

Award events name their application and programme the same way (`ApplicationEvent`), and
carry `enterprise_name`, which credit files a first record under."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field

from qgov_brands.programme import Level
from qgov_shared.events import CreditCode, EventData, RegionCode

Name = Annotated[str, Field(min_length=1, max_length=200)]
Reasons = Annotated[str, Field(min_length=1, max_length=2000)]
Tier = Literal["award", "nomination"]
RevocationGround = Literal["listing_confirmed", "fraud", "re_review_failed"]


class BrandEvent(EventData):
    """The brand, as every brand event names it."""

    brand_id: int = Field(ge=1)
    name: Annotated[str, Field(min_length=1, max_length=100)]
    trademark_number: Annotated[str, Field(min_length=1, max_length=20)]
    nice_class: int = Field(ge=1, le=45, description="Nice classification class (1-45)")


class BrandRegistered(BrandEvent):
    """An enterprise registered a brand it owns."""

    TYPE: ClassVar[str] = "qgov.brands.brand.registered.v1"
    credit_code: CreditCode
    enterprise_name: Name
    region_code: RegionCode
    founded_year: int = Field(ge=1000, le=9999)
    geographical_indication: bool
    time_honoured_candidate: bool
    registered_on: date


class BrandTransferred(BrandEvent):
    """A brand passed from one enterprise to another, the receiver having accepted; the event's
    subject is the new owner."""

    TYPE: ClassVar[str] = "qgov.brands.brand.transferred.v1"
    from_credit_code: CreditCode
    to_credit_code: CreditCode
    enterprise_name: Name = Field(description="the new owner's name")
    transferred_on: date


class ApplicationEvent(EventData):
    """The application, its programme and round, and the applicant, as every award event
    names them."""

    application_id: int = Field(ge=1)
    programme: Annotated[str, Field(min_length=1, max_length=60)]
    programme_name: Name
    level: Level
    round: Annotated[str, Field(min_length=1, max_length=20)]
    credit_code: CreditCode
    enterprise_name: Name
    brand_id: int | None = Field(ge=1, description="the brand honoured, if the award names one")


class AwardApplied(ApplicationEvent):
    """An enterprise applied to a round of an award programme."""

    TYPE: ClassVar[str] = "qgov.brands.award.applied.v1"
    applied_on: date


class AwardProposed(ApplicationEvent):
    """An application was proposed and put to public notice; objections are taken until
    `notice_ends_on`."""

    TYPE: ClassVar[str] = "qgov.brands.award.proposed.v1"
    tier: Tier
    proposed_on: date
    notice_ends_on: date


class AwardRejected(ApplicationEvent):
    """An application was turned down at a stage, with the reasons."""

    TYPE: ClassVar[str] = "qgov.brands.award.rejected.v1"
    stage: Annotated[str, Field(min_length=1, max_length=40)]
    rejected_on: date
    reasons: Reasons


class AwardEvent(ApplicationEvent):
    """An award granted, as every event about it names it."""

    award_id: int = Field(ge=1)
    tier: Tier


class AwardGranted(AwardEvent):
    """An award was granted, with the decision's reasons."""

    TYPE: ClassVar[str] = "qgov.brands.award.granted.v1"
    granted_on: date
    valid_until: date | None = Field(description="when it must be re-reviewed; None: for good")
    reasons: Reasons


class AwardSuspended(AwardEvent):
    """An award was suspended because its holder was put on the serious-violation list; a
    regulator's confirmation revokes it, a delisting reinstates it."""

    TYPE: ClassVar[str] = "qgov.brands.award.suspended.v1"
    reason: Literal["listed"]
    listed_on: date
    suspended_on: date


class AwardReinstated(AwardEvent):
    """A suspended award stands again: its holder was taken off the serious-violation list."""

    TYPE: ClassVar[str] = "qgov.brands.award.reinstated.v1"
    reason: Literal["delisted"]
    reinstated_on: date


class AwardRevoked(AwardEvent):
    """An award was revoked: a listing confirmed, fraud found, or a failed re-review."""

    TYPE: ClassVar[str] = "qgov.brands.award.revoked.v1"
    ground: RevocationGround
    revoked_on: date
    reasons: Reasons


EVENTS = (
    BrandRegistered,
    BrandTransferred,
    AwardApplied,
    AwardProposed,
    AwardGranted,
    AwardRejected,
    AwardSuspended,
    AwardReinstated,
    AwardRevoked,
)
