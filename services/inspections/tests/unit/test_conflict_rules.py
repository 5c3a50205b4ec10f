"""The conflict rules (the policy's `conflict_rules`), property-based: whatever the pool, the
declared conflicts and the history of campaigns, no inspector is drawn for an enterprise they
declared a conflict with, nor for the same enterprise in two consecutive campaigns; every team
has exactly the campaign's number of distinct inspectors of the pool, or the draw is refused."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_inspections.draw import NotEnoughInspectors, draw_inspectors, excluded_pairs
from qgov_shared.testing.codes import credit_code

CODES = [credit_code(n) for n in range(1, 9)]
BADGES = [f"SG-{n:02d}" for n in range(12)]

seeds = st.binary(min_size=32, max_size=32).map(bytes.hex)
pools = st.lists(st.sampled_from(BADGES), min_size=1, max_size=12, unique=True)
conflicts = st.sets(st.tuples(st.sampled_from(BADGES), st.sampled_from(CODES)), max_size=30)
drawn = st.lists(st.sampled_from(CODES), min_size=1, max_size=8, unique=True)


@settings(max_examples=300, deadline=None)
@given(
    campaigns=st.lists(st.tuples(seeds, drawn), min_size=1, max_size=6),
    pool=pools,
    declared=conflicts,
    per_check=st.integers(min_value=2, max_value=4),
)
def test_no_team_breaks_a_conflict_rule_over_consecutive_campaigns(
    campaigns, pool, declared, per_check
):
    previous: dict[str, tuple[str, ...]] = {}  # each enterprise's latest team
    for seed, codes in campaigns:
        excluded = excluded_pairs(declared, previous)
        eligible = {code: [b for b in pool if (b, code) not in excluded] for code in codes}
        if any(len(free) < per_check for free in eligible.values()):
            try:
                draw_inspectors(seed, codes, pool, excluded, per_check)
            except NotEnoughInspectors:
                continue
            raise AssertionError("a draw without enough free inspectors was not refused")
        teams = draw_inspectors(seed, codes, pool, excluded, per_check)
        assert set(teams) == set(codes)
        for code, team in teams.items():
            assert len(team) == len(set(team)) == per_check
            assert set(team) <= set(pool)
            assert not {(badge, code) for badge in team} & declared
            assert not set(team) & set(previous.get(code, ()))
        previous |= teams


@settings(max_examples=200, deadline=None)
@given(seed=seeds, pool=pools, declared=conflicts, codes=drawn)
def test_an_exclusion_only_narrows_the_pool(seed, pool, declared, codes):
    """Excluding pairs never draws an inspector the unconstrained order would skip over for a
    free one: each team is the first free inspectors in the enterprise's own order."""
    if any(sum((b, c) not in declared for b in pool) < 2 for c in codes):
        return
    unconstrained = draw_inspectors(seed, codes, pool, (), len(pool))
    teams = draw_inspectors(seed, codes, pool, declared, 2)
    for code in codes:
        free_in_order = [b for b in unconstrained[code] if (b, code) not in declared]
        assert teams[code] == tuple(free_in_order[:2])
