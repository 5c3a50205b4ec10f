"""Who may see which events: an enterprise those that concern it (see `EventParty`), a
regulator those concerning an enterprise of its regions, an administrator all."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select, true

from qgov_shared.auth import Principal, Role
from qgov_shared.region_scope import in_regions
from qgov_traceability.models import EpcisEvent, EventParty


@dataclass(frozen=True)
class Scope:
    role: str
    credit_code: str | None = None
    regions: tuple[str, ...] = ()

    @classmethod
    def of(cls, principal: Principal) -> Scope:
        return cls(str(principal.role), principal.credit_code, tuple(principal.regions))


def visible(scope: Scope) -> ColumnElement[bool]:
    if scope.role == Role.ADMIN:
        return true()
    parties = select(EventParty.event_pk).where(EventParty.event_pk == EpcisEvent.id)
    if scope.role == Role.ENTERPRISE and scope.credit_code:
        return exists(parties.where(EventParty.credit_code == scope.credit_code))
    if scope.role == Role.REGULATOR:
        return exists(parties.where(in_regions(EventParty.region_code, scope.regions)))
    return EpcisEvent.id.is_(None)  # no row: citizens see trace pages, not the repository
