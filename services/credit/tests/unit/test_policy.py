"""The shipped credit policy (policy.toml): it loads, its intake rules pick the right kind of
record for each event, and the loader refuses a policy that cannot be applied."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from qgov_credit.policy import POLICY_FILE, CreditPolicy, load_policy
from qgov_credit.schemas import EntryKind
from qgov_shared.policy import PolicyError

POLICY: CreditPolicy = load_policy()
SHIPPED = POLICY_FILE.read_text(encoding="utf-8")

CLOSED = "qgov.complaints.complaint.closed.v1"
CASE_OPENED = "qgov.complaints.report.case_opened.v1"
RECALL = "qgov.traceability.recall.initiated.v1"


def test_the_shipped_policy_loads_with_their_base_and_grade_floors():
    assert POLICY.version == "2026.2"
    assert (POLICY.base_score, POLICY.min_score, POLICY.max_score) == (100, 0, 100)
    assert POLICY.grade_floors == (("A", 90), ("B", 75), ("C", 60), ("D", 0))


def test_every_kind_has_points_a_period_and_a_description():
    assert len(POLICY.kinds) == 17
    for name, kind in POLICY.kinds.items():
        assert kind.name == name
        assert kind.description
        assert kind.points, name
        assert all(isinstance(points, int) for points in kind.points.values())
        assert kind.counts_for_days > 0
    assert POLICY.kinds["mediation_failed"].public is False
    assert sum(not kind.public for kind in POLICY.kinds.values()) == 1


def test_the_entry_kinds_are_the_public_apis_kinds_with_valid_default_severities():
    assert set(POLICY.entry_severities) == set(typing.get_args(EntryKind))
    assert POLICY.entry_severities == {
        "inspection_failed": "general",
        "inspection_passed": "general",
        "penalty": "general",
        "serious_penalty": "serious",
        "quality_accident": "general",
        "safety_accident": "general",
        "environmental_accident": "general",
    }
    for kind, severity in POLICY.entry_severities.items():
        assert severity in POLICY.kinds[kind].points


@pytest.mark.parametrize(
    ("event_type", "data", "kind", "severity", "occurred_on"),
    [
        (CLOSED, {"outcome": "mediated"}, "substantiated_complaint", "minor", "closed_on"),
        (CLOSED, {"outcome": "mediation_failed"}, "mediation_failed", "minor", "closed_on"),
        (CASE_OPENED, {"decided_on": "2026-03-02"}, "report_case_opened", "general", "decided_on"),
        (RECALL, {"voluntary": True}, "recall_voluntary", "general", "initiated_on"),
        (RECALL, {"voluntary": False}, "recall_ordered", "general", "initiated_on"),
        ("qgov.brands.award.granted.v1", {}, "award_granted", "general", "granted_on"),
        ("qgov.brands.award.suspended.v1", {}, "award_suspended", "general", "suspended_on"),
        ("qgov.brands.award.revoked.v1", {}, "award_revoked", "general", "revoked_on"),
        (
            "qgov.standards.standard.check_recorded.v1",
            {"outcome": "non_compliant", "source": "regulator"},
            "spot_check_failed",
            "general",
            "checked_on",
        ),
    ],
)
def test_intake_picks_the_rule_by_event_type_and_data(
    event_type, data, kind, severity, occurred_on
):
    rule = POLICY.intake_for(event_type, {**data, "respondent_name": "某公司"})
    assert rule is not None
    assert (rule.kind, rule.severity, rule.occurred_on) == (kind, severity, occurred_on)


@pytest.mark.parametrize(
    ("event_type", "data"),
    [
        (CLOSED, {"outcome": "terminated"}),  # the complainant withdrew: no finding
        (CLOSED, {}),  # no outcome at all
        ("qgov.complaints.complaint.filed.v1", {"outcome": "mediated"}),
        ("qgov.complaints.report.not_opened.v1", {}),
        (RECALL, {}),  # neither voluntary nor ordered
        ("qgov.complaints.complaint.closed.v2", {"outcome": "mediated"}),
    ],
)
def test_events_no_rule_names_make_no_record(event_type, data):
    assert POLICY.intake_for(event_type, data) is None


def test_every_intake_rule_names_a_kind_and_severity_the_kinds_have():
    for rule in POLICY.intake:
        assert rule.severity in POLICY.kinds[rule.kind].points, rule


# --- refusals: a copy of the shipped policy with one thing wrong ----------------------------


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    assert SHIPPED.count(old) == 1, f"the shipped policy changed: {old!r} is not there once"
    path = tmp_path / "policy.toml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    return path


def test_a_copy_of_the_shipped_policy_loads(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text(SHIPPED, encoding="utf-8")
    assert load_policy(path) == POLICY


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'kind = "report_case_opened"',
            'kind = "report_closed"',
            "intake of qgov.complaints.report.case_opened.v1 names an unknown kind 'report_closed'",
        ),
        (
            'kind = "report_case_opened"\nseverity = "general"',
            'kind = "report_case_opened"\nseverity = "minor"',
            "intake of qgov.complaints.report.case_opened.v1 names severity 'minor'",
        ),
        (
            'penalty = "general"',
            'fine = "general"',
            "entry names an unknown kind 'fine'",
        ),
        (
            'serious_penalty = "serious"',
            'serious_penalty = "general"',
            "entry names severity 'general' that serious_penalty lacks",
        ),
    ],
)
def test_the_loader_refuses_a_policy_naming_what_no_kind_has(tmp_path, old, new, message):
    with pytest.raises(ValueError, match=r"policy\.toml: ") as refused:
        load_policy(_broken(tmp_path, old, new))
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "grades",
    [
        "A = 75\nB = 90\nC = 60\nD = 0",  # B above A
        "A = 90\nB = 60\nC = 75\nD = 0",  # C above B
        "A = 90\nB = 75\nC = 60",  # no D
        "A = 90\nB = 75\nC = 60\nD = 0\nE = -10",  # a fifth grade
        "A = 90\nB = 90\nC = 60\nD = 0",  # B could never be given
    ],
)
def test_the_loader_refuses_grades_that_are_not_a_over_b_over_c_over_d(tmp_path, grades):
    path = _broken(tmp_path, "A = 90   # low risk\nB = 75\nC = 60\nD = 0    # high risk", grades)
    with pytest.raises(ValueError, match="grades must be A > B > C > D"):
        load_policy(path)


def test_the_loader_refuses_a_lowest_grade_that_leaves_scores_ungraded(tmp_path):
    path = _broken(tmp_path, "D = 0    # high risk", "D = 10")
    with pytest.raises(ValueError, match="grade D must admit the lowest score"):
        load_policy(path)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("minimum_days = 365\n", "", "listing.minimum_days"),
        (
            'severity = "general"\noccurred_on = "decided_on"',
            'occurred_on = "decided_on"',
            "intake[2].severity",
        ),
        ("counts_for_days = 1825\n", "", "kinds.serious_penalty.counts_for_days"),
    ],
)
def test_the_loader_names_the_file_and_the_key_a_policy_lacks(tmp_path, old, new, key):
    path = _broken(tmp_path, old, new)
    with pytest.raises(PolicyError) as refused:
        load_policy(path)
    assert str(refused.value) == f"{path}: missing key {key}"
