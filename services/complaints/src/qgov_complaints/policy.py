"""The 12315 policy (`policy.toml`) loaded into values the domain uses: limits, the working-day
calendar, the coded grounds and the complaint categories."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from qgov_complaints.calendar import WorkingCalendar

POLICY_FILE = Path(__file__).with_name("policy.toml")


@dataclass(frozen=True)
class Limits:
    complaint_acceptance_working_days: int
    mediation_working_days: int
    parties_notice_working_days: int
    report_decision_working_days: int
    report_extension_working_days: int
    limitation_years: int
    nearly_due_working_days: int


@dataclass(frozen=True)
class Policy:
    limits: Limits
    calendar: WorkingCalendar
    timezone: str
    rejection_grounds: dict[str, str]
    termination_reasons: dict[str, str]
    categories: dict[str, str]


def load_policy(path: Path = POLICY_FILE) -> Policy:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    calendar = raw["calendar"]
    years = [int(year) for year in calendar["covered_years"]]
    missing = [year for year in years if str(year) not in calendar]
    if missing:
        raise ValueError(f"{path}: covered years without a schedule: {missing}")
    holidays = _dates(calendar, years, "holidays")
    makeup = _dates(calendar, years, "makeup_workdays")
    if weekend_holidays := sorted(d for d in holidays if d.weekday() >= 5):
        raise ValueError(
            f"{path}: holidays must be weekdays (weekends are off anyway): {weekend_holidays}"
        )
    if weekday_makeups := sorted(d for d in makeup if d.weekday() < 5):
        raise ValueError(f"{path}: make-up workdays must be weekend days: {weekday_makeups}")
    return Policy(
        limits=Limits(**raw["limits"]),
        calendar=WorkingCalendar(
            frozenset(years),
            holidays,
            makeup,
            frozenset(_month_day(text) for text in calendar["provisional_fixed_holidays"]),
        ),
        timezone=calendar["timezone"],
        rejection_grounds=dict(raw["rejection_grounds"]),
        termination_reasons=dict(raw["termination_reasons"]),
        categories=dict(raw["categories"]),
    )


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2024, month, day)  # a real day of some year, or ValueError
    return month, day


def _dates(calendar: dict, years: list[int], key: str) -> frozenset[date]:
    days = {(year, date.fromisoformat(day)) for year in years for day in calendar[str(year)][key]}
    if stray := sorted(day for year, day in days if day.year != year):
        raise ValueError(f"{key} listed under another year's section: {stray}")
    return frozenset(day for _, day in days)
