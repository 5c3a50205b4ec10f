"""Working days as the State Council defines them: Monday to Friday, minus the holidays that
fall on weekdays, plus the weekend days declared working days (调休上班).

A year whose schedule is not yet published counts provisionally: weekdays minus the fixed-date
statutory holidays. Such a deadline is an estimate (lunar holidays and make-up workdays are
unknown) and is flagged as provisional wherever it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class WorkingCalendar:
    covered_years: frozenset[int]
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    provisional_fixed_holidays: frozenset[tuple[int, int]]  # (month, day)

    def is_working_day(self, day: date) -> bool:
        if not self.covers(day):
            fixed_holiday = (day.month, day.day) in self.provisional_fixed_holidays
            return day.weekday() < 5 and not fixed_holiday
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def covers(self, day: date) -> bool:
        """Whether `day`'s year has its official schedule (else it counts provisionally)."""
        return day.year in self.covered_years

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (the day of receipt itself not counted)."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count
