"""The policy loader refuses a policy it could not apply, and says what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qgov_shared.policy import PolicyError
from qgov_traceability.policy import POLICY_FILE, load_policy


def changed(tmp_path: Path, old: str, new: str) -> Path:
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_legal_rule_without_its_source_is_refused(tmp_path):
    path = changed(tmp_path, 'summary_due_working_days = "', 'ignored = "')
    with pytest.raises(PolicyError, match="no source cited for") as refused:
        load_policy(path)
    assert "summary_due_working_days" in str(refused.value)


def test_a_missing_deadline_is_named(tmp_path):
    path = changed(tmp_path, "progress_report_interval_days = 90", "")
    with pytest.raises(PolicyError, match="progress_report_interval_days"):
        load_policy(path)


def test_tracing_bounds_are_consistent(tmp_path):
    path = changed(tmp_path, "default_depth = 6", "default_depth = 60")
    with pytest.raises(PolicyError, match="default_depth"):
        load_policy(path)
