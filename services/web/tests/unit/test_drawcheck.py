"""The citizen's check of a draw, against the inspections service's own draw: a record it
would publish checks out here, and any change to the seed, the list or the result does not."""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal

from qgov_inspections import draw
from qgov_shared.testing.codes import credit_code
from qgov_web import drawcheck

SEED = hashlib.sha256(b"web draw check").hexdigest()


def _published() -> tuple[dict, str]:
    """A draw record and candidate list as the inspections service computes them."""
    candidates = [
        draw.Candidate(credit_code(n, "440203"), "A" if n % 3 else "C") for n in range(1, 31)
    ]
    ratios = {"A": Decimal("0.2"), "C": Decimal("0.5")}
    text = draw.candidate_list(candidates)
    drawn = draw.draw_enterprises(SEED, candidates, ratios)
    pool = [f"SG-{n:03d}" for n in range(6)]
    excluded = {("SG-001", drawn[0].credit_code)}
    teams = draw.draw_inspectors(SEED, [c.credit_code for c in drawn], pool, excluded, 2)
    record = {
        "seed": SEED,
        "seed_hash": draw.commitment(SEED),
        "candidates_hash": draw.list_hash(text),
        "candidate_count": len(candidates),
        "ratios": {grade: str(ratio) for grade, ratio in ratios.items()},
        "inspectors_per_check": 2,
        "inspector_pool": pool,
        "exclusions": [{"badge_number": b, "credit_code": c} for b, c in excluded],
        "drawn": [
            {
                "credit_code": c.credit_code,
                "grade": c.grade,
                "inspectors": list(teams[c.credit_code]),
            }
            for c in drawn
        ],
    }
    return record, text


def test_a_draw_as_the_service_publishes_it_checks_out() -> None:
    record, text = _published()
    checked = drawcheck.verify(record, text)
    assert checked.holds
    assert len(checked.recomputed) == 4 + 5  # ceil(0.2 × 20) A and ceil(0.5 × 10) C
    first = record["drawn"][0]["credit_code"]
    assert "SG-001" not in checked.recomputed[first]  # the excluded pair kept apart


def test_a_changed_seed_list_or_result_is_caught() -> None:
    record, text = _published()
    other_seed = {**record, "seed": hashlib.sha256(b"another").hexdigest()}
    assert not drawcheck.verify(other_seed, text).seed_matches
    assert not drawcheck.verify(other_seed, text).holds

    fewer = "".join(text.splitlines(keepends=True)[1:])
    assert not drawcheck.verify(record, fewer).list_matches

    swapped = copy.deepcopy(record)
    swapped["drawn"][0]["inspectors"].reverse()
    checked = drawcheck.verify(swapped, text)
    assert (checked.enterprises_match, checked.teams_match) == (True, False)
