"""How indicators, limits and plans are kept as JSON (decimals as text, exactly as given) and
read back into the domain's values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from qgov_standards.floor import Declared
from qgov_standards.indicators import Bounds, Direction
from qgov_standards.ranking import Core, Missing, Plan
from qgov_standards.schemas import BoundsIn
from qgov_standards.schemas.declarations import IndicatorDeclared
from qgov_standards.schemas.rankings import PlanIn


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def bounds_document(given: BoundsIn) -> dict[str, Any]:
    return {
        "unit": given.unit,
        "direction": given.direction.value,
        "value": _text(given.value),
        "minimum": _text(given.minimum),
        "maximum": _text(given.maximum),
    }


def bounds_of(document: dict[str, Any]) -> Bounds:
    """The bounds a document states; `ValueError` for a form its direction does not take."""
    return Bounds.of(
        Direction(document["direction"]),
        document["unit"],
        _decimal(document["value"]),
        _decimal(document["minimum"]),
        _decimal(document["maximum"]),
    )


def indicator_document(given: IndicatorDeclared) -> dict[str, Any]:
    return {
        "name": given.name,
        **bounds_document(given),
        "test_method": given.test_method,
        "safety": given.safety,
    }


def declared_of(document: dict[str, Any]) -> Declared:
    return Declared(document["name"], bounds_of(document))


def plan_document(given: PlanIn) -> dict[str, Any]:
    return {
        "indicators": [
            {
                "name": core.name,
                "unit": core.unit,
                "direction": core.direction.value,
                "weight": str(core.weight),
            }
            for core in given.indicators
        ],
        "top_n": given.top_n,
        "top_percent": _text(given.top_percent),
        "tie_breaks": list(given.tie_breaks),
        "missing": given.missing.value,
    }


def plan_of(document: dict[str, Any], version: int) -> Plan:
    percent = document["top_percent"]
    return Plan(
        version=version,
        indicators=tuple(
            Core(
                core["name"],
                core["unit"],
                Direction(core["direction"]),
                Fraction(Decimal(core["weight"])),
            )
            for core in document["indicators"]
        ),
        missing=Missing(document["missing"]),
        top_n=document["top_n"],
        top_percent=None if percent is None else Fraction(Decimal(percent)),
        tie_breaks=tuple(document["tie_breaks"]),
    )
