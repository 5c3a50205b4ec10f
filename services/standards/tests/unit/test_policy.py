"""The shipped policy loads, cites a source for each rule once, and refuses a policy it
cannot apply, naming what is wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qgov_shared.policy import PolicyError
from qgov_standards.policy import POLICY_FILE, RULES, load_policy


def test_the_shipped_policy_loads_with_every_rule_cited():
    policy = load_policy()

    assert set(policy.basis) == RULES
    assert "第二十一条" in policy.basis["mandatory_floor"]
    assert {"QB", "JB", "SN", "FZ", "YY"} <= set(policy.industry_codes)
    assert policy.categories["milk_powder"] == "乳粉"
    assert policy.units.factor("g/kg", "mg/kg") == 1000


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ('mandatory_floor = "', 'floor = "', "basis: no source cited for ['mandatory_floor']"),
        ('frontrunner = "', 'frontrunner = "" #', "no source cited for ['frontrunner']"),
        ("QB = ", "Qb = ", "codes are two capital letters"),
        ("milk_powder = ", "Milk-Powder = ", "categories: codes are lower-case words"),
        ('"g/kg" = "1000"', '"g/kg" = "-1"', "units.mass_fraction.g/kg: a factor is a positive"),
        ('"g/kg" = "1000"', '"g/kg" = "lots"', "'lots' is not a number"),
        ('"mg/kg" = "1"\n', '"mg/kg" = "2"\n', "units.mass_fraction: the first unit is the base"),
        ('"mm" = "1"', '"mm" = "1"\n"PPM" = "1"', "units.length.PPM: already a unit of mass"),
        ("[categories]", "[kinds]", "missing key categories"),
    ],
)
def test_a_policy_it_cannot_apply_is_refused_naming_what_is_wrong(tmp_path: Path, old, new, says):
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "policy.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(PolicyError, match=re.escape(says)):
        load_policy(broken)
