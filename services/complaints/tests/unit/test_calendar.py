"""Working-day arithmetic for the 12315 time limits, against the State Council's 2025 and 2026
holiday notices. Every expected date below is counted by hand in the comments; "off" marks a
holiday or a weekend, "make-up" a weekend day declared a working day (调休上班)."""

from datetime import date

import pytest

from qgov_complaints.calendar import WorkingCalendar
from qgov_complaints.policy import load_policy

CALENDAR: WorkingCalendar = load_policy().calendar


# --- which days are working days -------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 2, 14),  # Sat: make-up day before the Spring Festival
        date(2026, 2, 28),  # Sat: make-up day after the Spring Festival
        date(2026, 1, 4),  # Sun: make-up day after New Year
        date(2026, 5, 9),  # Sat: make-up day after Labour Day
        date(2026, 9, 20),  # Sun: make-up day before National Day
        date(2026, 10, 10),  # Sat: make-up day after National Day
        date(2025, 1, 26),  # Sun: make-up day before the 2025 Spring Festival
        date(2025, 2, 8),  # Sat: make-up day after it
        date(2025, 9, 28),  # Sun: make-up day before National Day 2025
        date(2025, 10, 11),  # Sat: make-up day after it
    ],
)
def test_a_makeup_weekend_day_is_a_working_day(day: date) -> None:
    assert day.weekday() >= 5
    assert CALENDAR.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 14),  # Sat, no holiday nearby
        date(2026, 3, 15),  # Sun
        date(2026, 10, 3),  # Sat inside National Day: off either way
        date(2026, 10, 11),  # Sun right after the make-up Saturday Oct 10
        date(2025, 2, 9),  # Sun right after the make-up Saturday Feb 8
    ],
)
def test_a_plain_weekend_day_is_not_a_working_day(day: date) -> None:
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 2),  # Fri, New Year
        date(2026, 2, 16),  # Mon, Spring Festival
        date(2026, 2, 23),  # Mon, last day of the Spring Festival break
        date(2026, 4, 6),  # Mon, Qingming
        date(2026, 5, 5),  # Tue, Labour Day
        date(2026, 6, 19),  # Fri, Dragon Boat
        date(2026, 9, 25),  # Fri, Mid-Autumn
        date(2026, 10, 7),  # Wed, National Day
        date(2025, 1, 28),  # Tue, Spring Festival 2025
        date(2025, 10, 8),  # Wed, National Day + Mid-Autumn 2025
    ],
)
def test_a_holiday_on_a_weekday_is_not_a_working_day(day: date) -> None:
    assert day.weekday() < 5
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 16),  # Mon, ordinary week
        date(2026, 2, 24),  # Tue, first day back after the Spring Festival
        date(2026, 10, 8),  # Thu, first day back after National Day
        date(2025, 12, 31),  # Wed, the day before New Year 2026
    ],
)
def test_an_ordinary_weekday_is_a_working_day(day: date) -> None:
    assert CALENDAR.is_working_day(day)


# --- the N-th working day after a date -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # complaint_acceptance_working_days, 7 to accept: received Mon 2026-09-28.
        # Tue Sep 29 (1), Wed 30 (2), Oct 1-7 off, Thu Oct 8 (3), Fri 9 (4),
        # Sat Oct 10 make-up (5), Sun 11 off, Mon 12 (6), Tue 13 (7).
        (date(2026, 9, 28), 7, date(2026, 10, 13)),
        # Received Thu 2026-02-12, just before the Spring Festival.
        # Fri Feb 13 (1), Sat 14 make-up (2), Sun 15 - Mon 23 off, Tue 24 (3), Wed 25 (4),
        # Thu 26 (5), Fri 27 (6), Sat Feb 28 make-up (7): the limit falls on a Saturday.
        (date(2026, 2, 12), 7, date(2026, 2, 28)),
        # Received on the make-up Saturday 2026-02-14 itself (the day of receipt never counts).
        # Feb 15-23 off, Tue 24 (1), 25 (2), 26 (3), 27 (4), Sat 28 make-up (5), Mon Mar 2 (6),
        # Tue Mar 3 (7).
        (date(2026, 2, 14), 7, date(2026, 3, 3)),
        # Received Fri 2025-01-24, before the 2025 Spring Festival.
        # Sat 25 off, Sun Jan 26 make-up (1), Mon 27 (2), Jan 28 - Feb 4 off, Wed Feb 5 (3),
        # Thu 6 (4), Fri 7 (5), Sat Feb 8 make-up (6), Sun 9 off, Mon Feb 10 (7).
        (date(2025, 1, 24), 7, date(2025, 2, 10)),
        # Received Fri 2025-09-26, before National Day 2025 (Oct 1-8 off).
        # Sat 27 off, Sun Sep 28 make-up (1), Mon 29 (2), Tue 30 (3), Oct 1-8 off, Thu Oct 9 (4),
        # Fri 10 (5), Sat Oct 11 make-up (6), Sun 12 off, Mon Oct 13 (7).
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        # Across the year end: received Mon 2025-12-29.
        # Tue Dec 30 (1), Wed 31 (2), Jan 1-3 off, Sun Jan 4 make-up (3), Mon 5 (4), Tue 6 (5),
        # Wed 7 (6), Thu Jan 8 (7).
        (date(2025, 12, 29), 7, date(2026, 1, 8)),
        # A received-on-Friday complaint in an ordinary week: Mon-Fri (5), Mon (6), Tue (7).
        (date(2026, 3, 13), 7, date(2026, 3, 24)),
    ],
)
def test_seven_working_days_to_decide_on_a_complaint(
    start: date, count: int, expected: date
) -> None:
    assert CALENDAR.add_working_days(start, count) == expected


def test_45_working_days_of_mediation_span_mid_autumn_and_national_day() -> None:
    # mediation_working_days: accepted Tue 2026-09-15.
    # Wed 16 (1), Thu 17 (2), Fri 18 (3), Sat 19 off, Sun Sep 20 make-up (4),
    # Mon 21 - Thu 24 (5-8), Fri 25 Mid-Autumn off, Sat 26 / Sun 27 off,
    # Mon 28 (9), Tue 29 (10), Wed 30 (11), Oct 1-7 off, Thu Oct 8 (12), Fri 9 (13),
    # Sat Oct 10 make-up (14), Oct 12-16 (15-19), Oct 19-23 (20-24), Oct 26-30 (25-29),
    # Nov 2-6 (30-34), Nov 9-13 (35-39), Nov 16-20 (40-44), Mon Nov 23 (45).
    assert CALENDAR.add_working_days(date(2026, 9, 15), 45) == date(2026, 11, 23)


def test_45_working_days_of_mediation_across_the_spring_festival() -> None:
    # Accepted Mon 2026-02-09.
    # Tue 10 - Fri 13 (1-4), Sat Feb 14 make-up (5), Feb 15-23 off, Tue 24 - Fri 27 (6-9),
    # Sat Feb 28 make-up (10), Mar 2-6 (11-15), Mar 9-13 (16-20), Mar 16-20 (21-25),
    # Mar 23-27 (26-30), Mar 30 - Apr 3 (31-35), Apr 6 Qingming off, Tue Apr 7 - Fri 10 (36-39),
    # Apr 13-17 (40-44), Mon Apr 20 (45).
    assert CALENDAR.add_working_days(date(2026, 2, 9), 45) == date(2026, 4, 20)


def test_15_working_days_for_a_report_span_labour_day() -> None:
    # report_decision_working_days: a report received Tue 2026-04-28.
    # Wed 29 (1), Thu 30 (2), May 1-5 off (Fri, weekend, Mon, Tue), Wed May 6 (3), Thu 7 (4),
    # Fri 8 (5), Sat May 9 make-up (6), May 11-15 (7-11), Mon 18 (12), Tue 19 (13),
    # Wed 20 (14), Thu May 21 (15).
    assert CALENDAR.add_working_days(date(2026, 4, 28), 15) == date(2026, 5, 21)


def test_15_working_days_extension_spans_dragon_boat() -> None:
    # An extension counted from a current due date of Wed 2026-06-10.
    # Thu 11 (1), Fri 12 (2), Jun 15-18 (3-6), Fri Jun 19 Dragon Boat off, Jun 22-26 (7-11),
    # Mon 29 (12), Tue 30 (13), Wed Jul 1 (14), Thu Jul 2 (15).
    assert CALENDAR.add_working_days(date(2026, 6, 10), 15) == date(2026, 7, 2)


def test_the_result_is_always_a_working_day_after_the_start() -> None:
    for start in (date(2026, 9, 30), date(2026, 2, 13), date(2026, 4, 30), date(2025, 9, 30)):
        for count in (1, 2, 7, 15):
            due = CALENDAR.add_working_days(start, count)
            assert due > start
            assert CALENDAR.is_working_day(due)


def test_zero_working_days_is_the_start_date_itself() -> None:
    assert CALENDAR.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_one_working_day_after_the_last_day_before_a_holiday_skips_the_whole_break() -> None:
    # Wed 2026-09-30: Oct 1-7 off, the next working day is Thu Oct 8.
    assert CALENDAR.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # Fri 2026-02-13: the next working day is the make-up Saturday Feb 14.
    assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)


# --- counting the working days between two dates -------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Wed Sep 30 -> Thu Oct 8, 2026: only Oct 8 itself (Oct 1-7 off).
        (date(2026, 9, 30), date(2026, 10, 8), 1),
        # Fri Feb 13 -> Sat Feb 28, 2026: Sat 14 make-up, Feb 24-27, Sat 28 make-up.
        (date(2026, 2, 13), date(2026, 2, 28), 6),
        # Fri Mar 13 -> Tue Mar 17, 2026: Mon 16, Tue 17 (the weekend does not count).
        (date(2026, 3, 13), date(2026, 3, 17), 2),
        # Fri -> Sun of an ordinary weekend: none.
        (date(2026, 3, 13), date(2026, 3, 15), 0),
        # The same day: none.
        (date(2026, 3, 17), date(2026, 3, 17), 0),
        # End before start: none.
        (date(2026, 3, 17), date(2026, 3, 13), 0),
        # Across the year end: Dec 30, Dec 31, Jan 4 make-up, Jan 5.
        (date(2025, 12, 29), date(2026, 1, 5), 4),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert CALENDAR.working_days_between(start, end) == expected


@pytest.mark.parametrize("count", [1, 7, 15, 45])
@pytest.mark.parametrize(
    "start", [date(2026, 9, 28), date(2026, 2, 12), date(2026, 4, 28), date(2025, 1, 24)]
)
def test_working_days_between_undoes_add_working_days(start: date, count: int) -> None:
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, count)) == count


# --- years whose holidays are not yet published ---------------------------------------------
# Until the State Council's notice is entered, a year counts provisionally: Monday to Friday
# minus the fixed-date statutory holidays of 全国年节及纪念日放假办法 (元旦 Jan 1, 劳动节 May 1-2,
# 国庆节 Oct 1-3). The lunar holidays and the make-up days cannot be known in advance.


@pytest.mark.parametrize(
    ("day", "covered"),
    [
        (date(2024, 12, 31), False),
        (date(2025, 1, 1), True),
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),
    ],
)
def test_only_the_years_with_a_notice_are_covered(day: date, covered: bool) -> None:
    assert CALENDAR.covers(day) is covered


def test_the_provisional_fixed_holidays_are_those_of_the_statute() -> None:
    assert CALENDAR.provisional_fixed_holidays == {
        (1, 1),  # 元旦
        (5, 1),  # 劳动节
        (5, 2),
        (10, 1),  # 国庆节
        (10, 2),
        (10, 3),
    }


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 1, 1), False),  # Fri, 元旦: a fixed holiday, off
        (date(2027, 1, 2), False),  # Sat: a plain weekend day, off
        (date(2027, 1, 4), True),  # Mon: an ordinary weekday
        (date(2027, 2, 8), True),  # Mon, 正月初三 2027: lunar, so not known in advance
        (date(2027, 10, 1), False),  # Fri, 国庆节
        (date(2027, 10, 4), True),  # Mon: the official break is not known yet
        (date(2024, 5, 1), False),  # Wed, 劳动节
        (date(2024, 5, 2), False),  # Thu, 劳动节 (second day)
        (date(2024, 5, 3), True),  # Fri: not a fixed-date holiday
        (date(2024, 10, 3), False),  # Thu, 国庆节 (third day)
    ],
)
def test_an_uncovered_year_counts_weekdays_minus_the_fixed_date_holidays(
    day: date, working: bool
) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_a_deadline_running_into_an_unpublished_year_is_counted_provisionally() -> None:
    # Received Mon 2026-12-28: Tue Dec 29 (1), Wed 30 (2), Thu 31 (3), Fri 2027-01-01 元旦 off,
    # Sat 2 / Sun 3 off, Mon Jan 4 (4), Tue 5 (5), Wed 6 (6), Thu Jan 7 (7).
    due = CALENDAR.add_working_days(date(2026, 12, 28), 7)
    assert due == date(2027, 1, 7)
    assert not CALENDAR.covers(due)


def test_working_days_between_counts_provisionally_past_the_covered_years() -> None:
    # Wed 2026-12-30 -> Mon 2027-01-04: Thu Dec 31, Mon Jan 4 (Jan 1 元旦, Jan 2-3 weekend).
    assert CALENDAR.working_days_between(date(2026, 12, 30), date(2027, 1, 4)) == 2


def test_a_deadline_ending_inside_the_covered_years_is_official_at_the_year_end() -> None:
    # Mon Dec 28 2026 + 3 working days = Thu Dec 31 2026, on the official calendar.
    due = CALENDAR.add_working_days(date(2026, 12, 28), 3)
    assert due == date(2026, 12, 31)
    assert CALENDAR.covers(due)
