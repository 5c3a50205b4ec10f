"""The serious-violation list and credit repair under the shipped policy: which records list an
enterprise (a serious penalty; a third failed inspection within 730 days), how long a listing
lasts at least, when a penalty's publicity may end early, and that a listing grades D."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qgov_credit.domain import (
    Record,
    RuleViolation,
    assess,
    check_repair_due,
    earliest_delisting,
    earliest_publicity_end,
    listing_reason,
)
from qgov_credit.policy import load_policy

POLICY = load_policy()
TODAY = date(2026, 3, 2)
REPEATED = "repeated_inspection_failed"


def failed(days_ago: int, id: int, severity: str = "general") -> Record:
    return Record(id, "inspection_failed", severity, TODAY - timedelta(days=days_ago))


def reason_for_last(*given: Record) -> str | None:
    """The listing reason of the last record given, among all of them (as the service calls it,
    the new record already stored)."""
    return listing_reason(given[-1], list(given), TODAY, POLICY)


def test_the_shipped_listing_and_repair_rules():
    listing, repair = POLICY.listing, POLICY.repair
    assert listing.kinds == {"serious_penalty"}
    assert (listing.repeated_kind, listing.repeated_count, listing.repeated_within_days) == (
        "inspection_failed",
        3,
        730,
    )
    assert listing.minimum_days == 365
    assert listing.joint_punishment == (
        "barred_from_quality_awards",
        "flagged_in_public_procurement",
    )
    assert repair.penalty_publicity_min_days == 180
    assert repair.special_industry_penalty_publicity_min_days == 365
    assert repair.special_industries == {"food", "drugs", "special_equipment"}


def test_a_serious_penalty_lists_the_enterprise_on_its_own():
    penalty = Record(1, "serious_penalty", "serious", TODAY)
    assert listing_reason(penalty, [penalty], TODAY, POLICY) == "serious_penalty"
    assert listing_reason(penalty, [], TODAY, POLICY) == "serious_penalty"  # needs no history


def test_a_third_failed_inspection_within_730_days_lists():
    assert reason_for_last(failed(700, 1), failed(300, 2), failed(0, 3)) == REPEATED
    assert reason_for_last(failed(10, 1), failed(5, 2, "serious"), failed(0, 3)) == REPEATED
    assert reason_for_last(failed(20, 1), failed(10, 2), failed(5, 3), failed(0, 4)) == REPEATED


def test_two_failed_inspections_do_not_list():
    assert reason_for_last(failed(0, 1)) is None
    assert reason_for_last(failed(300, 1), failed(0, 2)) is None


def test_a_third_failed_inspection_outside_the_window_does_not_list():
    assert reason_for_last(failed(800, 1), failed(300, 2), failed(0, 3)) is None


def test_the_window_is_the_730_days_up_to_and_including_the_new_records_day():
    # (new - 730 days, new]: a failure exactly 730 days before no longer counts, 729 does
    assert reason_for_last(failed(730, 1), failed(300, 2), failed(0, 3)) is None
    assert reason_for_last(failed(729, 1), failed(300, 2), failed(0, 3)) == REPEATED
    assert TODAY - timedelta(days=730) == date(2024, 3, 2)  # across the 2024 leap day


def test_failures_dated_after_the_new_record_do_not_count_toward_it():
    backdated = failed(400, 3)
    later = [failed(10, 1), failed(0, 2)]
    assert listing_reason(backdated, [*later, backdated], TODAY, POLICY) is None
    assert listing_reason(later[1], [backdated, *later], TODAY, POLICY) == REPEATED


def test_other_kinds_among_the_failures_do_not_count():
    spot = Record(2, "spot_check_failed", "general", TODAY - timedelta(days=5))
    assert reason_for_last(failed(10, 1), spot, failed(0, 3)) is None


@pytest.mark.parametrize(
    "kind",
    sorted(set(POLICY.kinds) - {"serious_penalty", "inspection_failed"}),
)
def test_no_other_kind_ever_lists_however_often(kind):
    severity = next(iter(POLICY.kinds[kind].points))
    many = [Record(n, kind, severity, TODAY - timedelta(days=n)) for n in range(5, 0, -1)]
    assert all(listing_reason(record, many, TODAY, POLICY) is None for record in many)


def test_a_listing_lasts_at_least_365_days():
    assert earliest_delisting(TODAY, POLICY) == date(2027, 3, 2)
    assert earliest_delisting(date(2024, 1, 1), POLICY) == date(2024, 12, 31)  # a leap year


@pytest.mark.parametrize("industry", [None, "electronics", "cosmetics"])
def test_an_ordinary_penaltys_publicity_may_end_after_180_days(industry):
    penalty = Record(1, "penalty", "general", TODAY)
    assert earliest_publicity_end(penalty, industry, POLICY) == date(2026, 8, 29)


@pytest.mark.parametrize("industry", ["food", "drugs", "special_equipment"])
def test_in_a_special_industry_the_publicity_lasts_365_days(industry):
    penalty = Record(1, "penalty", "general", TODAY)
    assert earliest_publicity_end(penalty, industry, POLICY) == date(2027, 3, 2)


@pytest.mark.parametrize(
    ("kind", "severity"),
    [
        ("serious_penalty", "serious"),
        ("inspection_failed", "general"),
        ("quality_accident", "general"),
        ("mediation_failed", "minor"),
    ],
)
def test_only_an_ordinary_penaltys_publicity_can_end_early(kind, severity):
    with pytest.raises(RuleViolation, match="ordinary penalty") as refused:
        earliest_publicity_end(Record(1, kind, severity, TODAY), None, POLICY)
    assert refused.value.field == "record_id"


def test_repair_is_due_from_the_earliest_day_on():
    earliest = date(2027, 3, 2)
    with pytest.raises(RuleViolation) as early:
        check_repair_due(earliest, earliest - timedelta(days=1))
    assert early.value.field == "target"
    assert str(early.value) == "credit repair can be applied for from 2027-03-02"
    check_repair_due(earliest, earliest)  # the day itself
    check_repair_due(earliest, earliest + timedelta(days=400))


@pytest.mark.parametrize(
    ("given", "score", "unlisted_grade"),
    [
        ([], 100, "A"),
        ([Record(1, "inspection_passed", "general", TODAY)], 100, "A"),
        ([Record(1, "penalty", "general", TODAY)], 85, "B"),
        ([Record(1, "serious_penalty", "serious", TODAY)], 60, "C"),
    ],
)
def test_a_listed_enterprise_is_graded_d_with_its_score_unchanged(given, score, unlisted_grade):
    free = assess(given, TODAY, POLICY)
    listed = assess(given, TODAY, POLICY, listed=True)
    assert (listed.score, listed.grade) == (score, "D")
    assert (free.score, free.grade) == (score, unlisted_grade)
    assert (listed.reasons, listed.next_change_on) == (free.reasons, free.next_change_on)
    assert listed.rule_version == free.rule_version


def test_a_record_that_no_longer_counts_lists_nothing() -> None:
    # A serious penalty counts for 1825 days; entered after that, it is history, not a listing.
    stale = Record(1, "serious_penalty", "serious", TODAY - timedelta(days=1825))
    assert listing_reason(stale, [stale], TODAY, POLICY) is None
    recent = Record(2, "serious_penalty", "serious", TODAY - timedelta(days=1824))
    assert listing_reason(recent, [recent], TODAY, POLICY) == "serious_penalty"


def test_failures_before_the_last_delisting_do_not_count_towards_a_repeat() -> None:
    before = [failed(400, 1), failed(300, 2)]
    new = failed(0, 3)
    delisted_on = TODAY - timedelta(days=200)
    assert listing_reason(new, [*before, new], TODAY, POLICY) == "repeated_inspection_failed"
    assert listing_reason(new, [*before, new], TODAY, POLICY, delisted_on) is None
