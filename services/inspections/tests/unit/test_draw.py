"""The draw's algorithm (`draw`, the policy's `double_random` and `sampling_ratios` rules):
exact quotas per credit grade, a canonical candidate list, a result that depends on the seed
and the list only, and no enterprise favoured over many draws."""

from __future__ import annotations

import hashlib
import hmac
import math
import random
from collections import Counter
from decimal import Decimal

import pytest

from qgov_inspections.draw import (
    Candidate,
    NotEnoughInspectors,
    candidate_list,
    commitment,
    draw_enterprises,
    draw_inspectors,
    list_hash,
    parse_candidate_list,
    quota,
)
from qgov_shared.testing.codes import credit_code

SEED = "5f" * 32
RATIOS = {"A": Decimal("0.03"), "B": Decimal("0.05"), "C": Decimal("0.10"), "D": Decimal(1)}


def candidates(count: int, grades: str = "ABCD") -> list[Candidate]:
    return [Candidate(credit_code(n), grades[n % len(grades)]) for n in range(1, count + 1)]


def seeds(count: int) -> list[str]:
    generator = random.Random(20261102)
    return [f"{generator.getrandbits(256):064x}" for _ in range(count)]


@pytest.mark.parametrize(
    ("ratio", "size", "drawn"),
    [
        ("0.03", 100, 3),
        ("0.03", 101, 4),
        ("0.03", 1, 1),
        ("0.05", 0, 0),
        ("0.1", 30, 3),
        ("1", 7, 7),
        ("0", 50, 0),
        ("0.0001", 10000, 1),
    ],
)
def test_a_grade_draws_the_ceiling_of_its_share(ratio: str, size: int, drawn: int):
    assert quota(Decimal(ratio), size) == drawn


def test_each_grade_draws_its_quota_and_d_every_enterprise():
    listed = candidates(400)  # 100 of each grade
    drawn = draw_enterprises(SEED, listed, RATIOS)
    counts = Counter(c.grade for c in drawn)
    assert counts == {"A": 3, "B": 5, "C": 10, "D": 100}
    assert drawn == sorted(drawn)
    assert {c for c in listed if c.grade == "D"} <= set(drawn)


def test_the_draw_depends_on_the_seed_and_the_list_not_on_their_order():
    listed = candidates(200)
    drawn = draw_enterprises(SEED, listed, RATIOS)
    shuffled = random.Random(1).sample(listed, len(listed))
    assert draw_enterprises(SEED, shuffled, RATIOS) == drawn
    assert draw_enterprises("6a" * 32, listed, RATIOS) != drawn
    assert draw_enterprises(SEED, listed[1:], RATIOS) != drawn


def test_every_enterprise_of_a_grade_is_drawn_as_often_within_statistical_bounds():
    """Over 2,000 seeds each of 40 A-grade candidates is drawn with probability 4/40 (a ratio
    of 0.1): its count stays within five standard deviations of 200."""
    listed = candidates(40, grades="A")
    ratios = {"A": Decimal("0.1")}
    draws = 2000
    times = Counter(c for seed in seeds(draws) for c in draw_enterprises(seed, listed, ratios))
    p = 4 / 40
    mean, sigma = draws * p, math.sqrt(draws * p * (1 - p))
    assert set(times) == set(listed)
    for candidate in listed:
        assert abs(times[candidate] - mean) < 5 * sigma, candidate


def test_the_candidate_list_is_canonical_and_hashed():
    listed = candidate_list([Candidate(credit_code(2), "B"), Candidate(credit_code(1), "A")])
    assert listed == f"{credit_code(1)},A\n{credit_code(2)},B\n"
    assert parse_candidate_list(listed) == [
        Candidate(credit_code(1), "A"),
        Candidate(credit_code(2), "B"),
    ]
    assert list_hash(listed) == list_hash(candidate_list(parse_candidate_list(listed)))
    assert commitment("00" * 32) == (
        "60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55"
    )  # printf %s 000…0 | sha256sum


def test_a_known_draw_stays_the_same():
    """The algorithm is the published procedure: its answer for a fixed input never changes."""
    drawn = draw_enterprises(SEED, candidates(40), {"A": Decimal("0.2"), "B": Decimal("0.1")})
    teams = draw_inspectors(SEED, [c.credit_code for c in drawn], ["SG-1", "SG-2", "SG-3"], (), 2)
    assert [c.credit_code[-6:] for c in drawn] == KNOWN_CODES
    assert [teams[c.credit_code] for c in drawn] == KNOWN_TEAMS


def test_the_order_is_the_standard_hmac_sha256_of_the_seed():
    """The draw's own HMAC is RFC 2104's, as the library computes it."""
    listed = candidates(30, grades="A")
    drawn = draw_enterprises(SEED, listed, {"A": Decimal("0.2")})

    def mac(code: str) -> bytes:
        return hmac.new(SEED.encode(), f"enterprise:{code}".encode(), hashlib.sha256).digest()

    expected = sorted(listed, key=lambda c: (mac(c.credit_code), c.credit_code))[:6]
    assert drawn == sorted(expected)


def test_too_few_inspectors_free_of_conflict_refuses_the_draw():
    code = credit_code(1)
    with pytest.raises(NotEnoughInspectors):
        draw_inspectors(SEED, [code], ["SG-1", "SG-2"], {("SG-1", code)}, 2)


KNOWN_CODES = ["00001F", "00012K", "00032M"]
KNOWN_TEAMS = [("SG-1", "SG-2"), ("SG-3", "SG-1"), ("SG-2", "SG-3")]
