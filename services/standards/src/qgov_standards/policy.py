"""The standards policy (`policy.toml`) loaded into values the domain uses, checked as it loads:
industry codes for standard numbers, units and their factors, product categories, and the
source of each rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from qgov_shared.policy import Table, load_toml_policy
from qgov_standards.indicators import Units, unit_key

POLICY_FILE = Path(__file__).with_name("policy.toml")
RULES = frozenset(
    {
        "disclosure",
        "mandatory_floor",
        "withdrawn_citation",
        "supervision",
        "number_forms",
        "frontrunner",
    }
)
"""The rules the service applies; each cites its source in `[basis]`."""
CATEGORY_CODE = re.compile(r"^[a-z][a-z_]{0,39}$")


@dataclass(frozen=True)
class Policy:
    version: str
    industry_codes: dict[str, str]
    units: Units
    categories: dict[str, str]
    basis: dict[str, str]


def load_policy(path: Path = POLICY_FILE) -> Policy:
    return load_toml_policy(path, _parse)


def _parse(raw: Table) -> Policy:
    industry_codes = dict(raw["industry_codes"])
    if odd := sorted(code for code in industry_codes if not re.fullmatch(r"[A-Z]{2}", code)):
        raise ValueError(f"industry_codes: codes are two capital letters, not {odd}")
    categories = dict(raw["categories"])
    if odd := sorted(code for code in categories if not CATEGORY_CODE.match(code)):
        raise ValueError(f"categories: codes are lower-case words (a-z, _), not {odd}")
    return Policy(
        version=str(raw["version"]),
        industry_codes=industry_codes,
        units=_units(raw["units"]),
        categories=categories,
        basis=_basis(raw["basis"]),
    )


def _units(table: Table) -> Units:
    factors: dict[str, tuple[str, Decimal]] = {}
    for dimension, units in table.items():
        first = next(iter(units.values()), None)
        if first is None or Decimal(first) != 1:
            raise ValueError(f"units.{dimension}: the first unit is the base, with factor 1")
        for unit, factor in units.items():
            key = unit_key(unit)
            if key in factors:
                raise ValueError(f"units.{dimension}.{unit}: already a unit of {factors[key][0]}")
            factors[key] = (dimension, _factor(dimension, unit, factor))
    return Units(factors)


def _factor(dimension: str, unit: str, text: str) -> Decimal:
    try:
        factor = Decimal(text)
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"units.{dimension}.{unit}: {text!r} is not a number") from error
    if not factor.is_finite() or factor <= 0:
        raise ValueError(f"units.{dimension}.{unit}: a factor is a positive number")
    return factor


def _basis(table: Table) -> dict[str, str]:
    if uncited := sorted(RULES - {name for name, text in table.items() if str(text).strip()}):
        raise ValueError(f"basis: no source cited for {uncited}")
    if unknown := sorted(set(table) - RULES):
        raise ValueError(f"basis: cites rules the policy does not have: {unknown}")
    return dict(table)
