"""The shipped 12315 policy: its legal limits, its holiday calendar against the State Council's
notices, its coded grounds, and the loader's refusal of a calendar that cannot be right."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from qgov_complaints.policy import POLICY_FILE, Policy, load_policy

POLICY: Policy = load_policy()


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=n) for n in range((last - first).days + 1)}


def _weekdays(first: date, last: date) -> set[date]:
    return {day for day in _days(first, last) if day.weekday() < 5}


# The State Council's notices, as published: the whole break, of which only the weekdays
# need listing (weekends are off anyway), and the weekend days worked in exchange.
OFFICIAL_HOLIDAYS = {
    2025: (
        _weekdays(date(2025, 1, 1), date(2025, 1, 1))  # 元旦
        | _weekdays(date(2025, 1, 28), date(2025, 2, 4))  # 春节
        | _weekdays(date(2025, 4, 4), date(2025, 4, 6))  # 清明节
        | _weekdays(date(2025, 5, 1), date(2025, 5, 5))  # 劳动节
        | _weekdays(date(2025, 5, 31), date(2025, 6, 2))  # 端午节
        | _weekdays(date(2025, 10, 1), date(2025, 10, 8))  # 国庆节、中秋节
    ),
    2026: (
        _weekdays(date(2026, 1, 1), date(2026, 1, 3))  # 元旦
        | _weekdays(date(2026, 2, 15), date(2026, 2, 23))  # 春节
        | _weekdays(date(2026, 4, 4), date(2026, 4, 6))  # 清明节
        | _weekdays(date(2026, 5, 1), date(2026, 5, 5))  # 劳动节
        | _weekdays(date(2026, 6, 19), date(2026, 6, 21))  # 端午节
        | _weekdays(date(2026, 9, 25), date(2026, 9, 27))  # 中秋节
        | _weekdays(date(2026, 10, 1), date(2026, 10, 7))  # 国庆节
    ),
}
OFFICIAL_MAKEUP_WORKDAYS = {
    2025: {
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    },
    2026: {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    },
}


# --- the shipped policy ----------------------------------------------------------------------


def test_the_shipped_policy_loads() -> None:
    policy = load_policy(POLICY_FILE)
    assert policy == POLICY
    assert policy.timezone == "Asia/Shanghai"
    assert policy.calendar.covered_years == frozenset({2025, 2026})


@pytest.mark.parametrize(
    ("limit", "legal_value"),
    [
        ("complaint_acceptance_working_days", 7),  # accept or not within 7 working days
        ("mediation_working_days", 45),  # no agreement 45 working days after acceptance
        ("parties_notice_working_days", 7),  # parties told of the end within 7 working days
        ("report_decision_working_days", 15),  # a report decided within 15 working days
        ("report_extension_working_days", 15),  # extendable once by 15 working days
        ("limitation_years", 3),  # more than 3 years since the harm was known: time-barred
        ("nearly_due_working_days", 2),  # the due list's warning window
    ],
)
def test_the_limits_are_the_legal_numbers(limit: str, legal_value: int) -> None:
    assert getattr(POLICY.limits, limit) == legal_value


MEASURES = "市场监督管理投诉举报处理暂行办法"  # SAMR Order No. 20, as amended in 2022
PENALTY_PROCEDURE = "市场监督管理行政处罚程序规定"  # SAMR Order No. 2, as amended


@pytest.mark.parametrize(
    ("rule", "provision"),
    [
        ("complaint_acceptance_working_days", f"{MEASURES} 第十四条"),
        ("mediation_working_days", f"{MEASURES} 第二十一条第一款第五项"),  # 45 days, no agreement
        ("parties_notice_working_days", f"{MEASURES} 第二十一条第二款"),
        ("report_decision_working_days", f"{PENALTY_PROCEDURE} 第十八条第一款"),
        ("report_extension_working_days", f"{PENALTY_PROCEDURE} 第十八条第一款"),
        ("limitation_years", f"{MEASURES} 第十五条第四项"),
        ("rejection_grounds", f"{MEASURES} 第十五条"),  # 不予受理
        ("termination_reasons", f"{MEASURES} 第二十一条第一款"),  # 终止调解
    ],
)
def test_each_legal_rule_cites_its_provision(rule: str, provision: str) -> None:
    assert POLICY.basis[rule] == provision


def test_only_the_legal_rules_cite_a_provision() -> None:
    assert "nearly_due_working_days" not in POLICY.basis  # the due list's window is ours
    assert len(POLICY.basis) == 8


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_holidays_are_those_of_the_state_council_notice(year: int) -> None:
    listed = {day for day in POLICY.calendar.holidays if day.year == year}
    assert listed == OFFICIAL_HOLIDAYS[year]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_makeup_workdays_are_those_of_the_state_council_notice(year: int) -> None:
    listed = {day for day in POLICY.calendar.makeup_workdays if day.year == year}
    assert listed == OFFICIAL_MAKEUP_WORKDAYS[year]


def test_every_listed_holiday_is_a_weekday() -> None:
    assert POLICY.calendar.holidays
    assert all(day.weekday() < 5 for day in POLICY.calendar.holidays)


def test_every_listed_makeup_workday_is_a_weekend_day() -> None:
    assert POLICY.calendar.makeup_workdays
    assert all(day.weekday() >= 5 for day in POLICY.calendar.makeup_workdays)


def test_no_day_is_both_a_holiday_and_a_makeup_workday() -> None:
    assert not POLICY.calendar.holidays & POLICY.calendar.makeup_workdays


@pytest.mark.parametrize(
    "code",
    [
        "outside_duties",  # (一) not the regulator's duty, or not this office's competence
        "already_handled",  # (二) a court, arbitrator, regulator or association has it already
        "not_consumption",  # (三) not for daily consumption, or no dispute shown
        "time_barred",  # (四) more than 3 years after the harm was known
        "materials_missing",  # (五) the required materials are not provided
        "other_legal_ground",  # (六) any other ground in a law, regulation or rule
    ],
)
def test_every_statutory_rejection_ground_is_coded(code: str) -> None:
    assert POLICY.rejection_grounds[code].strip()


def test_there_are_exactly_the_six_statutory_rejection_grounds() -> None:
    assert len(POLICY.rejection_grounds) == 6


@pytest.mark.parametrize(
    "code",
    [
        "withdrawn_or_settled",
        "party_refuses",
        "no_agreement",
        "time_limit",
        "inadmissible_found",
        "testing_disagreement",
        "other_legal_ground",
    ],
)
def test_the_termination_reasons_are_coded(code: str) -> None:
    assert POLICY.termination_reasons[code].strip()


def test_there_are_exactly_the_seven_statutory_termination_grounds() -> None:
    # The provision the policy cites for termination_reasons lists seven.
    assert len(POLICY.termination_reasons) == 7


def test_the_time_limit_termination_reason_cites_45_working_days() -> None:
    assert "四十五个工作日" in POLICY.termination_reasons["time_limit"]


def test_the_categories_include_a_catch_all() -> None:
    assert POLICY.categories["other"]
    assert all(name.strip() for name in POLICY.categories.values())


# --- what the loader refuses ----------------------------------------------------------------


def _shipped_text() -> str:
    return POLICY_FILE.read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the shipped policy no longer contains {old!r} once"
    return text.replace(old, new)


def test_an_unchanged_copy_loads(tmp_path: Path) -> None:
    # The baseline for the refusals below: a copy of the shipped file is accepted.
    assert load_policy(_write(tmp_path, _shipped_text())) == POLICY


def test_a_legal_limit_without_its_provision_is_refused(tmp_path: Path) -> None:
    text = _replace_once(
        _shipped_text(),
        'limitation_years = "市场监督管理投诉举报处理暂行办法 第十五条第四项"\n',
        "",
    )
    with pytest.raises(ValueError, match=r"no provision cited for \['limitation_years'\]"):
        load_policy(_write(tmp_path, text))


def test_a_provision_cited_for_a_rule_the_policy_lacks_is_refused(tmp_path: Path) -> None:
    text = _replace_once(_shipped_text(), "[basis]\n", '[basis]\nrefund_days = "某法 第一条"\n')
    with pytest.raises(
        ValueError, match=r"cites rules the policy does not have: \['refund_days'\]"
    ):
        load_policy(_write(tmp_path, text))


def test_a_holiday_on_a_weekend_is_refused(tmp_path: Path) -> None:
    # Sat 2026-01-03 is off anyway; listing it means the file was typed from the wrong notice.
    text = _replace_once(
        _shipped_text(), '"2026-01-01", "2026-01-02",', '"2026-01-01", "2026-01-02", "2026-01-03",'
    )
    with pytest.raises(ValueError, match=r"holidays must be weekdays.*2026, 1, 3"):
        load_policy(_write(tmp_path, text))


def test_a_makeup_workday_on_a_weekday_is_refused(tmp_path: Path) -> None:
    # Mon 2026-10-12 is a working day anyway; a make-up day is always a Saturday or Sunday.
    text = _replace_once(_shipped_text(), '"2026-10-10"]', '"2026-10-10", "2026-10-12"]')
    with pytest.raises(ValueError, match=r"make-up workdays must be weekend days.*2026, 10, 12"):
        load_policy(_write(tmp_path, text))


def test_a_covered_year_without_a_section_is_refused(tmp_path: Path) -> None:
    # 2027 claimed as covered before its notice was entered: deadlines would be guessed.
    text = _replace_once(
        _shipped_text(), "covered_years = [2025, 2026]", "covered_years = [2025, 2026, 2027]"
    )
    with pytest.raises(ValueError, match=r"covered years without a schedule: \[2027\]"):
        load_policy(_write(tmp_path, text))


def test_a_holiday_under_the_wrong_years_section_is_refused(tmp_path: Path) -> None:
    # Tue 2026-02-24 is a weekday, but listed under [calendar.2025].
    text = _replace_once(
        _shipped_text(),
        '"2025-10-06", "2025-10-07", "2025-10-08",',
        '"2025-10-06", "2025-10-07", "2025-10-08", "2026-02-24",',
    )
    with pytest.raises(ValueError, match=r"holidays listed under another year's section"):
        load_policy(_write(tmp_path, text))


def test_a_makeup_workday_under_the_wrong_years_section_is_refused(tmp_path: Path) -> None:
    # Sun 2025-09-28 is a real make-up day, but of 2025, listed under [calendar.2026].
    text = _replace_once(_shipped_text(), '"2026-10-10"]', '"2026-10-10", "2025-09-28"]')
    with pytest.raises(ValueError, match=r"makeup_workdays listed under another year's section"):
        load_policy(_write(tmp_path, text))


@pytest.mark.parametrize("month_day", ["02-30", "13-01", "00-10", "10-32"])
def test_an_impossible_provisional_holiday_is_refused(tmp_path: Path, month_day: str) -> None:
    text = _replace_once(_shipped_text(), '"10-03"]', f'"10-03", "{month_day}"]')
    with pytest.raises(ValueError, match=r"day is out of range|month must be in"):
        load_policy(_write(tmp_path, text))


def test_29_february_is_a_possible_provisional_holiday(tmp_path: Path) -> None:
    # Not a real holiday, but a real day of some year: the loader must not refuse it.
    text = _replace_once(_shipped_text(), '"10-03"]', '"10-03", "02-29"]')
    assert (2, 29) in load_policy(_write(tmp_path, text)).calendar.provisional_fixed_holidays
