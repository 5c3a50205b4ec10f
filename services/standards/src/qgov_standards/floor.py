"""The mandatory floor (强制性国家标准的底线): no declared indicator may be worse than the mandatory
limit for the same indicator, and no declaration may cite a withdrawn standard (the policy's
`mandatory_floor` and `withdrawn_citation` rules).

The same functions judge a declaration when it is filed (a limit in force refuses it; one not
yet in force flags it) and when the catalogue changes (every published declaration a new or
tighter limit, or a withdrawal, makes non-compliant is flagged). Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from qgov_standards.indicators import Bounds, Units, name_key


class Status(StrEnum):
    """现行, 即将实施, 废止."""

    IN_FORCE = "in_force"
    UPCOMING = "upcoming"
    WITHDRAWN = "withdrawn"


class FlagReason(StrEnum):
    STANDARD_WITHDRAWN = "standard_withdrawn"
    BELOW_MANDATORY_LIMIT = "below_mandatory_limit"


@dataclass(frozen=True)
class CatalogueEntry:
    number: str
    effective_on: date
    withdrawn_on: date | None = None
    replaced_by: str | None = None

    def status_on(self, day: date) -> Status:
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return Status.WITHDRAWN
        return Status.UPCOMING if self.effective_on > day else Status.IN_FORCE


@dataclass(frozen=True)
class Limit:
    """A mandatory standard's limit on one indicator, for the product categories it names."""

    standard: CatalogueEntry
    name: str
    bounds: Bounds
    categories: frozenset[str]


@dataclass(frozen=True)
class Declared:
    """One indicator a declaration states."""

    name: str
    bounds: Bounds


@dataclass(frozen=True)
class Failure:
    """Why a declaration is below the floor, or will be from `effective_on`."""

    reason: FlagReason
    standard: str
    effective_on: date
    indicator: str | None = None
    required: str | None = None
    declared: str | None = None
    replaced_by: str | None = None

    def message(self) -> str:
        if self.reason is FlagReason.STANDARD_WITHDRAWN:
            instead = f"; cite {self.replaced_by} instead" if self.replaced_by else ""
            return f"{self.standard} is withdrawn (废止) from {self.effective_on}{instead}"
        return (
            f"{self.indicator}: declared {self.declared}, but {self.standard} requires "
            f"{self.required} from {self.effective_on}"
        )

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What one flag is about: one flag per standard and indicator stays open at a time."""
        return (self.reason.value, self.standard, self.indicator and name_key(self.indicator))


def limits_failed(
    indicators: Iterable[Declared],
    category: str,
    limits: Iterable[Limit],
    units: Units,
    today: date,
) -> list[Failure]:
    """Every declared indicator worse than a limit for its category of a standard not withdrawn
    by `today`, with the day that limit takes effect."""
    by_name = {name_key(indicator.name): indicator for indicator in indicators}
    failures = []
    for limit in limits:
        declared = by_name.get(name_key(limit.name))
        if declared is None or category not in limit.categories:
            continue
        if limit.standard.status_on(today) is Status.WITHDRAWN:
            continue
        if not meets(declared.bounds, limit.bounds, units):
            failures.append(
                Failure(
                    FlagReason.BELOW_MANDATORY_LIMIT,
                    limit.standard.number,
                    limit.standard.effective_on,
                    indicator=declared.name,
                    required=limit.bounds.text(),
                    declared=declared.bounds.text(),
                )
            )
    return failures


def meets(declared: Bounds, required: Bounds, units: Units) -> bool:
    """Whether what is declared lies within what is required, in the required unit. A unit
    with no known factor to the required one cannot be shown to meet it."""
    converted = units.convert(declared, required.unit)
    if converted is None:
        return False
    if required.upper is not None and (converted.upper is None or converted.upper > required.upper):
        return False
    return required.lower is None or (
        converted.lower is not None and converted.lower >= required.lower
    )


def withdrawn_citations(
    cited: Iterable[str], catalogue: Mapping[str, CatalogueEntry], today: date
) -> list[Failure]:
    """The cited standards (canonical numbers) that the catalogue withdraws, as of `today` or
    from a day already set."""
    failures = []
    for number in cited:
        entry = catalogue.get(number)
        if entry is not None and entry.withdrawn_on is not None:
            failures.append(
                Failure(
                    FlagReason.STANDARD_WITHDRAWN,
                    number,
                    entry.withdrawn_on,
                    replaced_by=entry.replaced_by,
                )
            )
    return failures


def in_force(failures: Iterable[Failure], today: date) -> list[Failure]:
    """The failures that hold today: a filing with any of them is refused."""
    return [failure for failure in failures if failure.effective_on <= today]


def ahead(failures: Iterable[Failure], today: date) -> list[Failure]:
    """The failures from a day to come: the declaration stands, flagged."""
    return [failure for failure in failures if failure.effective_on > today]
