"""A round's proposal: once every application has been scored, the quotas decide who is
proposed for the award, who for a nomination, and who is left outside."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from qgov_brands.programme import Quotas


@dataclass(frozen=True)
class Candidate:
    application_id: int
    score: Decimal


@dataclass(frozen=True)
class Proposal:
    awards: tuple[int, ...]
    nominations: tuple[int, ...]
    outside: tuple[int, ...]


def propose(quotas: Quotas, candidates: list[Candidate]) -> Proposal:
    """Best score first (the earlier application first on a tie): the first `awards` are
    proposed for the award, the next `nominations` for a nomination."""
    ranked = [
        c.application_id for c in sorted(candidates, key=lambda c: (-c.score, c.application_id))
    ]
    nominated_to = quotas.awards + quotas.nominations
    return Proposal(
        awards=tuple(ranked[: quotas.awards]),
        nominations=tuple(ranked[quotas.awards : nominated_to]),
        outside=tuple(ranked[nominated_to:]),
    )
