"""The policy file loads, cites a source for every legal rule, and refuses what it could not
apply, naming the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qgov_inspections.policy import POLICY_FILE, load_policy
from qgov_shared.policy import PolicyError


def test_the_shipped_policy_loads_with_its_sources():
    policy = load_policy()
    assert policy.default_ratios == {
        "A": Decimal("0.03"),
        "B": Decimal("0.05"),
        "C": Decimal("0.10"),
        "D": Decimal(1),
    }
    assert "产品质量法" in policy.basis["objection_days"]
    assert "第十五条" in policy.basis["objection_days"]
    assert "企业信息公示暂行条例" in policy.basis["publication_working_days"]
    assert "rectification_days" not in policy.basis  # the service's own default
    assert "toys" in policy.catalogue


def _changed(tmp_path: Path, old: str, new: str) -> Path:
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("min_inspectors_per_check = 2", "min_inspectors_per_check = 1", "two inspectors"),
        ('D = "1"', 'D = "1.5"', "between 0 and 1"),
        ('A = "0.03"', 'A = "0.03125"', "at most 4"),
        ('default = "A"', 'default = "E"', "grades.default"),
        ('objection_days = "', 'objection_dayz = "', "objection_days"),
        ("objection_days = 15", "objection_dayz = 15", "objection_dayz"),
    ],
)
def test_a_policy_it_cannot_apply_is_refused(tmp_path: Path, old: str, new: str, message: str):
    with pytest.raises(PolicyError, match=message):
        load_policy(_changed(tmp_path, old, new))
