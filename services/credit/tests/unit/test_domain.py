"""How live records make a score and a grade under the shipped policy: every kind's points,
the bounds, the grade floors, the window in which a record counts, and the severities a
regulator may enter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qgov_credit.domain import (
    Reason,
    Record,
    RuleViolation,
    assess,
    counts_until,
    entry_severity,
    grade_for,
    points_of,
)
from qgov_credit.policy import load_policy

POLICY = load_policy()
TODAY = date(2026, 3, 2)
EVERY_KIND_AND_SEVERITY = sorted(
    (kind, severity) for kind, rule in POLICY.kinds.items() for severity in rule.points
)


def record(kind: str, severity: str, effective_on: date = TODAY, id: int = 1) -> Record:
    return Record(id, kind, severity, effective_on)


def records(*kinds: tuple[str, str]) -> list[Record]:
    return [record(kind, severity, id=n) for n, (kind, severity) in enumerate(kinds, start=1)]


def test_with_no_records_an_enterprise_has_the_base_score():
    assessment = assess([], TODAY, POLICY)
    assert (assessment.score, assessment.grade) == (100, "A")
    assert assessment.rule_version == POLICY.version
    assert assessment.reasons == ()
    assert assessment.next_change_on is None


@pytest.mark.parametrize(("kind", "severity"), EVERY_KIND_AND_SEVERITY)
def test_each_kind_moves_the_score_by_its_policy_points(kind, severity):
    rule = POLICY.kinds[kind]
    points = rule.points[severity]
    assert points_of(kind, severity, POLICY) == points

    assessment = assess([record(kind, severity, TODAY - timedelta(days=1))], TODAY, POLICY)

    assert assessment.score == max(0, min(100, 100 + points))
    assert assessment.grade == grade_for(assessment.score, POLICY)
    until = TODAY - timedelta(days=1) + timedelta(days=rule.counts_for_days)
    assert assessment.reasons == (
        Reason(1, kind, severity, points, TODAY - timedelta(days=1), until),
    )
    assert assessment.next_change_on == until


def test_the_covered_kinds_include_both_severities_where_a_kind_has_two():
    assert ("inspection_failed", "serious") in EVERY_KIND_AND_SEVERITY
    assert ("quality_accident", "serious") in EVERY_KIND_AND_SEVERITY
    assert len(EVERY_KIND_AND_SEVERITY) == 21


def test_the_score_never_rises_above_the_maximum():
    good = records(("inspection_passed", "general"), ("award_granted", "general"))
    assessment = assess(good, TODAY, POLICY)
    assert (assessment.score, assessment.grade) == (100, "A")
    assert [reason.points for reason in assessment.reasons] == [2, 5]  # still explained


def test_the_score_never_falls_below_zero():
    bad = records(*[("serious_penalty", "serious")] * 3)  # -120
    assessment = assess(bad, TODAY, POLICY)
    assert (assessment.score, assessment.grade) == (0, "D")
    assert len(assessment.reasons) == 3


def test_good_records_offset_bad_ones_before_the_bounds_apply():
    mixed = records(("penalty", "general"), ("award_granted", "general"))  # 100 - 15 + 5
    assert assess(mixed, TODAY, POLICY).score == 90


@pytest.mark.parametrize(
    ("kinds", "score", "grade"),
    [
        ([("inspection_failed", "general")], 90, "A"),
        ([("inspection_failed", "general"), ("mediation_failed", "minor")], 89, "B"),
        ([("penalty", "general"), ("inspection_failed", "general")], 75, "B"),
        (
            [
                ("penalty", "general"),
                ("inspection_failed", "general"),
                ("mediation_failed", "minor"),
            ],
            74,
            "C",
        ),
        ([("serious_penalty", "serious")], 60, "C"),
        ([("serious_penalty", "serious"), ("mediation_failed", "minor")], 59, "D"),
    ],
)
def test_grades_start_exactly_at_their_floors(kinds, score, grade):
    assessment = assess(records(*kinds), TODAY, POLICY)
    assert (assessment.score, assessment.grade) == (score, grade)


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (74, "C"), (60, "C"), (59, "D"), (0, "D")],
)
def test_grade_for_each_floor_and_the_score_below_it(score, grade):
    assert grade_for(score, POLICY) == grade


def test_a_record_counts_from_its_day_up_to_but_not_including_counts_until():
    penalty = record("penalty", "general", date(2026, 1, 10))
    until = counts_until(penalty, POLICY)
    assert until == date(2026, 1, 10) + timedelta(days=1095) == date(2029, 1, 9)

    def score_on(day: date) -> int:
        return assess([penalty], day, POLICY).score

    assert score_on(date(2026, 1, 9)) == 100  # not yet
    assert score_on(date(2026, 1, 10)) == 85  # its own day
    assert score_on(until - timedelta(days=1)) == 85  # its last day
    assert score_on(until) == 100  # expired on its date
    after = assess([penalty], until, POLICY)
    assert (after.reasons, after.next_change_on) == ((), None)


def test_a_future_record_does_not_count_yet_and_names_the_day_it_will():
    later = record("inspection_failed", "serious", TODAY + timedelta(days=3))
    assessment = assess([later], TODAY, POLICY)
    assert (assessment.score, assessment.grade, assessment.reasons) == (100, "A", ())
    assert assessment.next_change_on == TODAY + timedelta(days=3)
    assert assess([later], TODAY + timedelta(days=3), POLICY).score == 80


def test_the_next_change_is_the_earliest_expiry_or_start():
    complaint = record("substantiated_complaint", "minor", date(2025, 6, 1), id=1)  # 365 days
    penalty = record("penalty", "general", date(2025, 5, 1), id=2)  # 1095 days
    assessment = assess([penalty, complaint], TODAY, POLICY)
    assert assessment.next_change_on == date(2026, 6, 1)
    assert assess([penalty], TODAY, POLICY).next_change_on == date(2028, 4, 30)

    upcoming = record("award_granted", "general", date(2026, 5, 1), id=3)
    assert assess([penalty, complaint, upcoming], TODAY, POLICY).next_change_on == date(2026, 5, 1)


def test_reasons_list_every_live_record_by_day_then_id_and_nothing_else():
    given = [
        record("penalty", "general", date(2026, 2, 1), id=7),
        record("inspection_passed", "general", date(2025, 1, 1), id=9),  # expired 2026-01-01
        record("mediation_failed", "minor", date(2026, 1, 15), id=8),
        record("inspection_failed", "general", date(2026, 2, 1), id=3),
        record("award_granted", "general", date(2026, 4, 1), id=2),  # not yet
    ]
    assessment = assess(given, TODAY, POLICY)
    assert [(r.record_id, r.kind, r.points) for r in assessment.reasons] == [
        (8, "mediation_failed", -1),
        (3, "inspection_failed", -10),
        (7, "penalty", -15),
    ]
    assert assessment.score == 100 + sum(r.points for r in assessment.reasons) == 74
    assert assessment.grade == "C"
    assert all(
        r.counts_until == counts_until(g, POLICY)
        for r, g in zip(assessment.reasons, [given[2], given[3], given[0]], strict=True)
    )


@pytest.mark.parametrize("kind", sorted(POLICY.entry_severities))
def test_a_regulator_record_without_severity_takes_its_kinds_default(kind):
    assert entry_severity(kind, None, POLICY) == POLICY.entry_severities[kind]


def test_a_regulator_may_name_any_severity_the_kind_has():
    assert entry_severity("inspection_failed", "serious", POLICY) == "serious"
    assert entry_severity("quality_accident", "serious", POLICY) == "serious"
    assert entry_severity("penalty", "general", POLICY) == "general"


@pytest.mark.parametrize(
    ("kind", "severity", "field"),
    [
        ("unknown_kind", None, "kind"),
        ("substantiated_complaint", "minor", "kind"),  # only complaints make these
        ("award_granted", None, "kind"),
        ("penalty", "serious", "severity"),  # that is serious_penalty
        ("serious_penalty", "general", "severity"),
        ("inspection_failed", "catastrophic", "severity"),
    ],
)
def test_a_regulator_record_the_policy_does_not_allow_is_refused_naming_the_field(
    kind, severity, field
):
    with pytest.raises(RuleViolation) as refused:
        entry_severity(kind, severity, POLICY)
    assert refused.value.field == field
    assert str(refused.value)


def test_points_of_refuses_an_unknown_kind_or_severity():
    with pytest.raises(RuleViolation) as unknown:
        points_of("bribery", "general", POLICY)
    assert unknown.value.field == "kind"
    with pytest.raises(RuleViolation, match="inspection_failed records are general, serious"):
        points_of("inspection_failed", "minor", POLICY)
