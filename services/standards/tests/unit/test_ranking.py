"""Frontrunner rankings: min-max normalisation by direction, weights, the cut (top N or top
percent rounded up), ties sharing a rank (and the cut), tie-breaks in the plan's order, and
what a missing indicator means (excluded, or the worst)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from qgov_standards.indicators import Bounds, Direction, name_key
from qgov_standards.policy import load_policy
from qgov_standards.ranking import Candidate, Core, Missing, Plan, rank, valid_tie_break

UNITS = load_policy().units
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PROTEIN = Core("蛋白质", "g/100g", Direction.HIGHER_BETTER, Fraction(2))
LEAD = Core("铅", "mg/kg", Direction.LOWER_BETTER, Fraction(1))


def plan(**changes) -> Plan:
    values = {
        "version": 1,
        "indicators": (PROTEIN, LEAD),
        "missing": Missing.EXCLUDE,
        "top_n": 2,
    }
    return Plan(**{**values, **changes})


def candidate(
    declaration_id: int, protein: str | None, lead: str | None, *, days: int = 0, **units
) -> Candidate:
    indicators = {}
    if protein is not None:
        unit = units.get("protein_unit", "g/100g")
        indicators[name_key("蛋白质")] = Bounds.of(Direction.HIGHER_BETTER, unit, Decimal(protein))
    if lead is not None:
        unit = units.get("lead_unit", "mg/kg")
        indicators[name_key("铅")] = Bounds.of(Direction.LOWER_BETTER, unit, Decimal(lead))
    return Candidate(declaration_id, T0 + timedelta(days=days), indicators)


def ranks(placed) -> list[tuple[int, int | None, bool]]:
    return [(p.declaration_id, p.rank, p.frontrunner) for p in placed]


def test_values_are_normalised_by_direction_and_weighted():
    candidates = [candidate(1, "20", "0.3"), candidate(2, "25", "0.1"), candidate(3, "15", "0.2")]

    placed = rank(plan(), candidates, UNITS)

    assert ranks(placed) == [(2, 1, True), (1, 2, True), (3, 3, False)]
    best, middle, last = placed
    assert best.score == 100  # the best of both
    # protein (20-15)/(25-15) = 1/2 at weight 2, lead (0.3 is the worst) 0 at weight 1
    assert middle.score == Fraction(100 * (2 * Fraction(1, 2) + 0), 3)
    assert [part.normalised for part in last.parts] == [0, Fraction(1, 2)]
    assert last.score == Fraction(100, 6)


def test_units_are_converted_into_the_plans():
    placed = rank(
        plan(),
        [candidate(1, "20", "0.3"), candidate(2, "20", "100", lead_unit="μg/kg")],
        UNITS,
    )

    assert [p.declaration_id for p in placed] == [2, 1]
    assert placed[0].parts[1].value == Fraction(1, 10)


def test_equal_scores_share_a_rank_and_a_tie_at_the_cut_names_more_frontrunners():
    placed = rank(
        plan(top_n=1),
        [candidate(1, "20", "0.1"), candidate(2, "20", "0.1"), candidate(3, "10", "0.5")],
        UNITS,
    )

    assert ranks(placed) == [(1, 1, True), (2, 1, True), (3, 3, False)]
    assert [p.position for p in placed] == [1, 2, 3]


def test_tie_breaks_apply_in_the_plans_order():
    tied = [candidate(1, "20", "0.2", days=5), candidate(2, "20", "0.2", days=1)]

    assert ranks(rank(plan(top_n=1, tie_breaks=("earliest_published",)), tied, UNITS)) == [
        (2, 1, True),
        (1, 2, False),
    ]
    # equal weights: protein 1 + lead 0 against protein 0 + lead 1 tie on score
    crossed = [candidate(1, "25", "0.3"), candidate(2, "15", "0.1")]
    even = plan(indicators=(PROTEIN, Core("铅", "mg/kg", Direction.LOWER_BETTER, Fraction(2))))
    assert rank(even, crossed, UNITS)[0].score == rank(even, crossed, UNITS)[1].score
    by_lead = replace(even, tie_breaks=("indicator:铅",))
    assert ranks(rank(by_lead, crossed, UNITS)) == [(2, 1, True), (1, 2, True)]
    by_protein = replace(even, top_n=1, tie_breaks=("indicator:蛋白质",))
    assert ranks(rank(by_protein, crossed, UNITS)) == [(1, 1, True), (2, 2, False)]


def test_more_declared_breaks_a_tie_before_the_earlier_publication():
    even = plan(
        indicators=(replace(PROTEIN, weight=Fraction(1)), LEAD),
        missing=Missing.WORST,
        top_n=1,
    )
    # 1: the best protein (1) and no lead (0); 2: the worst protein (0), the only lead (1)
    tied = [candidate(1, "25", None, days=1), candidate(2, "15", "0.2", days=5)]

    earliest = rank(replace(even, tie_breaks=("earliest_published",)), tied, UNITS)
    declared = rank(replace(even, tie_breaks=("more_declared", "earliest_published")), tied, UNITS)

    assert earliest[0].score == earliest[1].score == 50
    assert ranks(earliest) == [(1, 1, True), (2, 2, False)]
    assert ranks(declared) == [(2, 1, True), (1, 2, False)]


def test_a_missing_indicator_excludes_the_declaration_when_the_plan_says_so():
    candidates = [candidate(1, "20", None), candidate(2, "18", "0.2"), candidate(3, None, "0.1")]

    placed = rank(plan(top_n=1), candidates, UNITS)

    assert ranks(placed) == [(2, 1, True), (1, None, False), (3, None, False)]
    assert placed[1].excluded_for == ("铅",)
    assert placed[2].excluded_for == ("蛋白质",)


def test_a_missing_indicator_counts_as_the_worst_when_the_plan_says_so():
    candidates = [candidate(1, "20", None), candidate(2, "18", "0.2")]

    placed = rank(plan(missing=Missing.WORST, top_n=1), candidates, UNITS)

    assert ranks(placed) == [(1, 1, True), (2, 2, False)]
    assert placed[0].parts[1].value is None
    assert placed[0].parts[1].normalised == 0


def test_a_value_in_no_comparable_unit_is_missing():
    placed = rank(plan(), [candidate(1, "20", "0.1", lead_unit="mg/L")], UNITS)

    assert ranks(placed) == [(1, None, False)]


@pytest.mark.parametrize(
    ("percent", "ranked", "cut"),
    [("10", 10, 1), ("10", 11, 2), ("25", 4, 1), ("100", 3, 3), ("0.01", 3, 1)],
)
def test_a_percentage_cut_rounds_up(percent, ranked, cut):
    assert plan(top_n=None, top_percent=Fraction(Decimal(percent))).cut(ranked) == cut


def test_a_top_n_cut_never_exceeds_the_ranked():
    assert plan(top_n=5).cut(3) == 3
    assert plan(top_n=None, top_percent=Fraction(50)).cut(0) == 0


def test_the_worst_end_of_a_declared_range_is_what_counts():
    declared = Candidate(
        1,
        T0,
        {
            name_key("蛋白质"): Bounds.of(
                Direction.RANGE, "g/100g", minimum=Decimal("18"), maximum=Decimal("30")
            ),
            name_key("铅"): Bounds.of(
                Direction.RANGE, "mg/kg", minimum=Decimal("0"), maximum=Decimal("0.4")
            ),
        },
    )

    [placed] = rank(plan(), [declared], UNITS)

    assert [part.value for part in placed.parts] == [18, Fraction(2, 5)]


def test_tie_breaks_name_core_indicators_or_the_known_rules():
    names = ["蛋白质", "铅"]
    assert valid_tie_break("indicator:铅", names)
    assert valid_tie_break("earliest_published", names)
    assert valid_tie_break("more_declared", names)
    assert not valid_tie_break("indicator:镉", names)
    assert not valid_tie_break("random", names)
