"""Indicators (指标) and their units: what an enterprise declares of a product, and what a
mandatory standard limits. Both are bounds on one measured quantity, in one unit:

    lower_better  "at most"      lead ≤ 0.5 mg/kg           upper bound
    higher_better "at least"     protein ≥ 16.5 g/100g      lower bound
    range         "between"      pH 4.0 to 7.5              both

Units compare when the policy knows a factor between them (mg/kg and g/kg; ppm and mg/kg);
names compare written the same way once normalised (full-width, spaces, case). Pure.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"
    RANGE = "range"


@dataclass(frozen=True)
class Bounds:
    """A quantity's promised (or required) bounds in `unit`; `None` is unbounded."""

    direction: Direction
    unit: str
    lower: Decimal | None = None
    upper: Decimal | None = None

    @classmethod
    def of(
        cls,
        direction: Direction,
        unit: str,
        value: Decimal | None = None,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
    ) -> Bounds:
        """A value at most (lower better) or at least (higher better), or a range; refuses a
        form the direction does not take."""
        if direction is Direction.RANGE:
            if minimum is None or maximum is None or value is not None:
                raise ValueError("a range takes minimum and maximum, not value")
            if minimum > maximum:
                raise ValueError("the minimum is above the maximum")
            return cls(direction, unit, minimum, maximum)
        if value is None or minimum is not None or maximum is not None:
            raise ValueError(f"{direction.value} takes value, not minimum and maximum")
        if direction is Direction.LOWER_BETTER:
            return cls(direction, unit, upper=value)
        return cls(direction, unit, lower=value)

    def text(self) -> str:
        if self.direction is Direction.RANGE:
            return f"{self.lower}~{self.upper} {self.unit}"
        sign = "≤" if self.direction is Direction.LOWER_BETTER else "≥"
        return f"{sign} {self.upper if self.upper is not None else self.lower} {self.unit}"


@dataclass(frozen=True)
class Units:
    """The policy's units by dimension: each unit's factor to its dimension's base unit."""

    factors: Mapping[str, tuple[str, Decimal]]  # unit key → (dimension, factor to base)

    def factor(self, from_unit: str, to_unit: str) -> Decimal | None:
        """What a value in `from_unit` is multiplied by to be in `to_unit`; None when the two
        are not known to measure the same thing."""
        source, target = unit_key(from_unit), unit_key(to_unit)
        if source == target:
            return Decimal(1)
        if source not in self.factors or target not in self.factors:
            return None
        (source_dimension, to_base), (target_dimension, from_base) = (
            self.factors[source],
            self.factors[target],
        )
        return to_base / from_base if source_dimension == target_dimension else None

    def convert(self, bounds: Bounds, unit: str) -> Bounds | None:
        factor = self.factor(bounds.unit, unit)
        if factor is None:
            return None

        def scaled(value: Decimal | None) -> Decimal | None:
            return None if value is None else value * factor

        return Bounds(bounds.direction, unit, scaled(bounds.lower), scaled(bounds.upper))


def unit_key(unit: str) -> str:
    """µ and μ, ² and 2, spaces and case do not make units different."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", unit)).casefold()


def name_key(name: str) -> str:
    """Names compare without regard to width, spaces or case: 铅（以Pb计） is 铅(以 pb 计)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()
