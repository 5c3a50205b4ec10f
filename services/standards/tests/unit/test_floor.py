"""The mandatory floor, with the numbers of real limits (GB 2762 lead in milk powder ≤ 0.5
mg/kg; GB 18401 pH 4.0 to 7.5 and colour fastness ≥ 3 for infants' textiles): units convert
by the policy's factors, directions are respected, and a limit binds from the day its
standard takes effect until it is withdrawn."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from qgov_standards.floor import (
    CatalogueEntry,
    Declared,
    FlagReason,
    Limit,
    Status,
    ahead,
    in_force,
    limits_failed,
    meets,
    withdrawn_citations,
)
from qgov_standards.indicators import Bounds, Direction
from qgov_standards.policy import load_policy

UNITS = load_policy().units
DAY = date(2026, 11, 2)
LOWER, HIGHER, RANGE = Direction.LOWER_BETTER, Direction.HIGHER_BETTER, Direction.RANGE
GB_2762 = CatalogueEntry("GB 2762-2022", effective_on=date(2023, 6, 30))
LEAD_LIMIT = Bounds.of(LOWER, "mg/kg", Decimal("0.5"))
PH_LIMIT = Bounds.of(RANGE, "pH", minimum=Decimal("4.0"), maximum=Decimal("7.5"))
FASTNESS_LIMIT = Bounds.of(HIGHER, "级", Decimal("3"))


def bounds(direction: Direction, unit: str, *values: str) -> Bounds:
    if direction is RANGE:
        return Bounds.of(direction, unit, minimum=Decimal(values[0]), maximum=Decimal(values[1]))
    return Bounds.of(direction, unit, Decimal(values[0]))


@pytest.mark.parametrize(
    ("declared", "required", "passes"),
    [
        (bounds(LOWER, "mg/kg", "0.5"), LEAD_LIMIT, True),
        (bounds(LOWER, "mg/kg", "0.50001"), LEAD_LIMIT, False),
        (bounds(LOWER, "g/kg", "0.0005"), LEAD_LIMIT, True),
        (bounds(LOWER, "g/kg", "0.0006"), LEAD_LIMIT, False),
        (bounds(LOWER, "μg/kg", "499"), LEAD_LIMIT, True),
        (bounds(LOWER, "µg/kg", "501"), LEAD_LIMIT, False),  # the micro sign, not μ
        (bounds(LOWER, "ppm", "0.4"), LEAD_LIMIT, True),
        (bounds(LOWER, "ppb", "400"), LEAD_LIMIT, True),
        (bounds(LOWER, "%", "0.00005"), LEAD_LIMIT, True),  # 0.5 mg/kg
        (bounds(LOWER, " MG/KG ", "0.4"), LEAD_LIMIT, True),
        (bounds(LOWER, "mg/L", "0.1"), LEAD_LIMIT, False),  # another dimension
        (bounds(LOWER, "份", "0.1"), LEAD_LIMIT, False),  # a unit the policy does not know
        (bounds(RANGE, "mg/kg", "0", "0.5"), LEAD_LIMIT, True),
        (bounds(RANGE, "mg/kg", "0.1", "0.6"), LEAD_LIMIT, False),
        (bounds(HIGHER, "mg/kg", "0.1"), LEAD_LIMIT, False),  # promises no upper bound
        (bounds(RANGE, "pH", "4.0", "7.5"), PH_LIMIT, True),
        (bounds(RANGE, "pH", "5.5", "6.5"), PH_LIMIT, True),
        (bounds(RANGE, "pH", "3.9", "6.5"), PH_LIMIT, False),
        (bounds(RANGE, "pH", "5.0", "7.6"), PH_LIMIT, False),
        (bounds(LOWER, "pH", "7"), PH_LIMIT, False),  # no lower bound promised
        (bounds(HIGHER, "pH", "5"), PH_LIMIT, False),  # no upper bound promised
        (bounds(HIGHER, "级", "3"), FASTNESS_LIMIT, True),
        (bounds(HIGHER, "级", "3.5"), FASTNESS_LIMIT, True),
        (bounds(HIGHER, "级", "2.5"), FASTNESS_LIMIT, False),
        (bounds(LOWER, "级", "4"), FASTNESS_LIMIT, False),  # "at most 4" guarantees nothing
        (bounds(RANGE, "级", "3", "5"), FASTNESS_LIMIT, True),
    ],
)
def test_a_declared_quantity_meets_a_limit_in_the_limits_unit(declared, required, passes):
    assert meets(declared, required, UNITS) is passes


def test_units_convert_by_the_policys_factors_both_ways():
    assert UNITS.factor("g/kg", "mg/kg") == 1000
    assert UNITS.factor("mg/kg", "g/kg") == Decimal("0.001")
    assert UNITS.factor("mg/cm2", "mg/dm²") == 100
    assert UNITS.factor("mg/kg", "mg/L") is None
    assert UNITS.factor("级", "级") == 1  # any unit is itself
    converted = UNITS.convert(bounds(RANGE, "g/kg", "0.1", "0.2"), "mg/kg")
    assert (converted.lower, converted.upper, converted.unit) == (100, 200, "mg/kg")


def _limit(name: str, required: Bounds, categories=("milk_powder",), standard=GB_2762) -> Limit:
    return Limit(standard, name, required, frozenset(categories))


def test_only_limits_for_the_category_and_the_same_indicator_apply():
    limits = [
        _limit("铅（以Pb计）", LEAD_LIMIT),
        _limit("镉（以Cd计）", bounds(LOWER, "mg/kg", "0.2"), ("rice",)),
    ]
    declared = [
        Declared("铅(以pb计)", bounds(LOWER, "mg/kg", "0.6")),  # the same name, typed otherwise
        Declared("镉（以Cd计）", bounds(LOWER, "mg/kg", "5")),  # limited for rice only
        Declared("蛋白质", bounds(HIGHER, "g/100g", "1")),  # no limit
    ]

    [failure] = limits_failed(declared, "milk_powder", limits, UNITS, DAY)

    assert (failure.reason, failure.standard, failure.indicator) == (
        FlagReason.BELOW_MANDATORY_LIMIT,
        "GB 2762-2022",
        "铅(以pb计)",
    )
    assert (failure.required, failure.declared) == ("≤ 0.5 mg/kg", "≤ 0.6 mg/kg")
    assert failure.message() == (
        "铅(以pb计): declared ≤ 0.6 mg/kg, but GB 2762-2022 requires ≤ 0.5 mg/kg from 2023-06-30"
    )


def test_a_limit_binds_from_its_standards_effective_day_until_it_is_withdrawn():
    upcoming = CatalogueEntry("GB 2762-2027", effective_on=DAY + timedelta(days=1))
    withdrawn = CatalogueEntry("GB 2762-2017", date(2017, 9, 17), withdrawn_on=DAY)
    leaving = CatalogueEntry("GB 2762-2012", date(2013, 6, 1), withdrawn_on=DAY + timedelta(1))
    limits = [_limit("铅", LEAD_LIMIT, standard=s) for s in (upcoming, withdrawn, leaving)]
    declared = [Declared("铅", bounds(LOWER, "mg/kg", "1"))]

    failures = limits_failed(declared, "milk_powder", limits, UNITS, DAY)

    assert [f.standard for f in failures] == ["GB 2762-2027", "GB 2762-2012"]
    assert [f.standard for f in in_force(failures, DAY)] == ["GB 2762-2012"]
    assert [f.standard for f in ahead(failures, DAY)] == ["GB 2762-2027"]


def test_a_standards_status_follows_its_days():
    entry = CatalogueEntry("GB 1-2020", date(2020, 1, 1), withdrawn_on=date(2026, 1, 1))

    assert entry.status_on(date(2019, 12, 31)) is Status.UPCOMING
    assert entry.status_on(date(2020, 1, 1)) is Status.IN_FORCE
    assert entry.status_on(date(2025, 12, 31)) is Status.IN_FORCE
    assert entry.status_on(date(2026, 1, 1)) is Status.WITHDRAWN


def test_citing_a_withdrawn_standard_names_its_replacement():
    catalogue = {
        "GB 2763-2019": CatalogueEntry(
            "GB 2763-2019", date(2020, 2, 15), date(2021, 9, 3), "GB 2763-2021"
        ),
        "GB 2763-2021": CatalogueEntry("GB 2763-2021", date(2021, 9, 3)),
        "GB 9999-2030": CatalogueEntry("GB 9999-2030", date(2020, 1, 1), DAY + timedelta(9)),
    }

    failures = withdrawn_citations(
        ["GB 2763-2019", "GB 2763-2021", "GB 9999-2030", "Q/ABC 1-2020"], catalogue, DAY
    )

    assert [(f.standard, f.replaced_by) for f in failures] == [
        ("GB 2763-2019", "GB 2763-2021"),
        ("GB 9999-2030", None),
    ]
    [refused] = in_force(failures, DAY)
    assert refused.message() == (
        "GB 2763-2019 is withdrawn (废止) from 2021-09-03; cite GB 2763-2021 instead"
    )
    assert [f.standard for f in ahead(failures, DAY)] == ["GB 9999-2030"]


@pytest.mark.parametrize(
    ("direction", "value", "minimum", "maximum", "says"),
    [
        (RANGE, "1", None, None, "a range takes minimum and maximum"),
        (RANGE, None, "1", None, "a range takes minimum and maximum"),
        (RANGE, None, "2", "1", "the minimum is above the maximum"),
        (LOWER, None, None, None, "lower_better takes value"),
        (HIGHER, "1", "0", None, "higher_better takes value"),
    ],
)
def test_bounds_refuse_a_form_their_direction_does_not_take(
    direction, value, minimum, maximum, says
):
    given = [None if v is None else Decimal(v) for v in (value, minimum, maximum)]
    with pytest.raises(ValueError, match=says):
        Bounds.of(direction, "mg/kg", *given)
