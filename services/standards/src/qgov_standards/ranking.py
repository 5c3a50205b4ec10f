"""Frontrunner rankings (企业标准"领跑者"): the published declarations of a product category
ranked by the category's evaluation plan (the policy's `frontrunner` rule).

A plan names the core indicators, each with its unit, its direction and its weight. Each value
is normalised over the declarations ranked (min-max: the best is 1, the worst 0, all equal are
all 1), the score is the weighted mean times 100, and the plan says what a missing indicator
means (`exclude` the declaration, or count it as the `worst`). Declarations equal on score and
on every tie-break share a rank; the cut (top N, or top percent rounded up) keeps everyone
whose rank is within it, so a tie at the cut names more frontrunners, never fewer. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from qgov_standards.indicators import Bounds, Direction, Units, name_key

EARLIEST = "earliest_published"
MORE_DECLARED = "more_declared"
INDICATOR_TIE_BREAK = "indicator:"
"""Tie-breaks a plan may list, in order: `indicator:<name>` (the better normalised value of a
core indicator), `more_declared` (more core indicators declared), `earliest_published`."""


class Missing(StrEnum):
    EXCLUDE = "exclude"
    WORST = "worst"


@dataclass(frozen=True)
class Core:
    name: str
    unit: str
    direction: Direction  # higher_better or lower_better
    weight: Fraction


@dataclass(frozen=True)
class Plan:
    version: int
    indicators: tuple[Core, ...]
    missing: Missing
    top_n: int | None = None
    top_percent: Fraction | None = None
    tie_breaks: tuple[str, ...] = ()

    def cut(self, ranked: int) -> int:
        """How many ranks the frontrunners fill among `ranked` declarations."""
        if self.top_n is not None:
            return min(self.top_n, ranked)
        assert self.top_percent is not None
        return min(ranked, math.ceil(self.top_percent * ranked / 100)) if ranked else 0


@dataclass(frozen=True)
class Candidate:
    declaration_id: int
    published_at: datetime
    indicators: dict[str, Bounds]  # by name_key


@dataclass(frozen=True)
class Part:
    """One core indicator's share of a declaration's score, for the explanation."""

    indicator: str
    value: Fraction | None  # in the plan's unit; None when missing or in no comparable unit
    normalised: Fraction
    weight: Fraction


@dataclass(frozen=True)
class Placed:
    declaration_id: int
    position: int  # 1..n, unique: the order listed
    rank: int | None  # shared by ties; None when excluded
    score: Fraction | None
    frontrunner: bool
    parts: tuple[Part, ...]
    excluded_for: tuple[str, ...] = ()  # the core indicators it lacks, when excluded


def rank(plan: Plan, candidates: Sequence[Candidate], units: Units) -> list[Placed]:
    """Every candidate placed: the ranked first, best first, then the excluded."""
    values = {c.declaration_id: _values(plan, c, units) for c in candidates}
    lacking = {
        key: tuple(core.name for core in plan.indicators if found[core.name] is None)
        for key, found in values.items()
    }
    ranked = [
        c for c in candidates if plan.missing is Missing.WORST or not lacking[c.declaration_id]
    ]
    spans = {
        core.name: _span([values[c.declaration_id][core.name] for c in ranked])
        for core in plan.indicators
    }
    scored = sorted(
        (_score(plan, c, values[c.declaration_id], spans) for c in ranked),
        key=lambda entry: (entry[0], entry[1].declaration_id),
    )
    cut = plan.cut(len(scored))
    placed: list[Placed] = []
    previous: tuple | None = None
    for position, (order, candidate, score, parts) in enumerate(scored, start=1):
        shared = placed[-1].rank if placed and order == previous else position
        previous = order
        placed.append(
            Placed(candidate.declaration_id, position, shared, score, shared <= cut, parts)
        )
    ranked_ids = {c.declaration_id for c in ranked}
    for candidate in candidates:
        if candidate.declaration_id not in ranked_ids:
            missing = lacking[candidate.declaration_id]
            placed.append(
                Placed(candidate.declaration_id, len(placed) + 1, None, None, False, (), missing)
            )
    return placed


def _values(plan: Plan, candidate: Candidate, units: Units) -> dict[str, Fraction | None]:
    """Each core indicator's declared value in the plan's unit: the worse end of what is
    declared, since that is what the enterprise promises."""
    values: dict[str, Fraction | None] = {}
    for core in plan.indicators:
        declared = candidate.indicators.get(name_key(core.name))
        converted = units.convert(declared, core.unit) if declared else None
        if converted is None:
            values[core.name] = None
            continue
        lower_is_better = core.direction is Direction.LOWER_BETTER
        worst = converted.upper if lower_is_better else converted.lower
        values[core.name] = None if worst is None else Fraction(worst)
    return values


def _span(values: list[Fraction | None]) -> tuple[Fraction, Fraction] | None:
    present = [value for value in values if value is not None]
    return (min(present), max(present)) if present else None


def _normalised(
    core: Core, value: Fraction | None, span: tuple[Fraction, Fraction] | None
) -> Fraction:
    if value is None or span is None:
        return Fraction(0)
    low, high = span
    if high == low:
        return Fraction(1)
    if core.direction is Direction.LOWER_BETTER:
        return (high - value) / (high - low)
    return (value - low) / (high - low)


def _score(
    plan: Plan,
    candidate: Candidate,
    values: dict[str, Fraction | None],
    spans: dict[str, tuple[Fraction, Fraction] | None],
) -> tuple[tuple, Candidate, Fraction, tuple[Part, ...]]:
    """The sort order (score, then the plan's tie-breaks), and the score's parts."""
    parts = tuple(
        Part(
            core.name,
            values[core.name],
            _normalised(core, values[core.name], spans[core.name]),
            core.weight,
        )
        for core in plan.indicators
    )
    total_weight = sum(part.weight for part in parts)
    score = 100 * sum(part.normalised * part.weight for part in parts) / total_weight
    order = (-score, *(_tie_value(plan, tie, candidate, parts) for tie in plan.tie_breaks))
    return order, candidate, score, parts


def _tie_value(plan: Plan, tie: str, candidate: Candidate, parts: tuple[Part, ...]) -> object:
    """Smaller sorts first."""
    if tie == EARLIEST:
        return candidate.published_at
    if tie == MORE_DECLARED:
        return -sum(part.value is not None for part in parts)
    name = tie.removeprefix(INDICATOR_TIE_BREAK)
    return -next(part.normalised for part in parts if part.indicator == name)


def valid_tie_break(tie: str, core_names: Sequence[str]) -> bool:
    if tie in (EARLIEST, MORE_DECLARED):
        return True
    named = tie.removeprefix(INDICATOR_TIE_BREAK)
    return tie.startswith(INDICATOR_TIE_BREAK) and named in core_names
