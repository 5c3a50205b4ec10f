"""An award's life once granted: how long it stands, and which changes its status allows. A
listing suspends it, a delisting reinstates it; a regulator revokes it on a confirmed listing
or on fraud; a failed re-review ends it, a passed one renews it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from qgov_brands.domain import RuleViolation
from qgov_brands.domain.dates import add_years
from qgov_brands.programme import Programme


class AwardStatus(StrEnum):
    GRANTED = "granted"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    RENEWED = "renewed"  # followed by the award of its re-review


class Ground(StrEnum):
    """Why an award is revoked."""

    LISTING_CONFIRMED = "listing_confirmed"  # a regulator confirms the suspension's listing
    FRAUD = "fraud"  # the award was obtained by fraud, found later
    RE_REVIEW_FAILED = "re_review_failed"  # the holder's re-review was rejected


def valid_until(programme: Programme, granted_on: date) -> date | None:
    if programme.validity_years is None:
        return None
    return add_years(granted_on, programme.validity_years)


def check_revocable(status: AwardStatus, ground: Ground) -> None:
    """A regulator revokes a suspended award on its listing, a standing or suspended one on
    fraud; the re-review's ground is the service's, on a rejected re-review."""
    if status not in (AwardStatus.GRANTED, AwardStatus.SUSPENDED):
        raise RuleViolation(f"the award is {status}: it cannot be revoked")
    if ground is Ground.LISTING_CONFIRMED and status is not AwardStatus.SUSPENDED:
        raise RuleViolation("only an award suspended for a listing is revoked on it", "ground")
    if ground is Ground.RE_REVIEW_FAILED:
        raise RuleViolation("a failed re-review revokes by itself", "ground")
