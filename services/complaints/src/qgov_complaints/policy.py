"""The 12315 policy (`policy.toml`) loaded into values the domain uses: limits, the working-day
calendar, the coded grounds and the complaint categories, with the legal basis of each."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from qgov_complaints.calendar import WorkingCalendar
from qgov_shared.policy import Table, load_toml_policy

POLICY_FILE = Path(__file__).with_name("policy.toml")
OWN_LIMITS = frozenset({"nearly_due_working_days"})
"""Limits the service sets for itself, which no provision gives."""


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
    basis: dict[str, str]
    """Each legal rule's provision, by the rule's name (a limit, or a table of grounds)."""


def load_policy(path: Path = POLICY_FILE) -> Policy:
    return load_toml_policy(path, _parse)


def _parse(raw: Table) -> Policy:
    calendar = raw["calendar"]
    years = [int(year) for year in calendar["covered_years"]]
    missing = [year for year in years if str(year) not in calendar]
    if missing:
        raise ValueError(f"covered years without a schedule: {missing}")
    holidays = _dates(calendar, years, "holidays")
    makeup = _dates(calendar, years, "makeup_workdays")
    if weekend_holidays := sorted(d for d in holidays if d.weekday() >= 5):
        raise ValueError(f"holidays must be weekdays (weekends are off anyway): {weekend_holidays}")
    if weekday_makeups := sorted(d for d in makeup if d.weekday() < 5):
        raise ValueError(f"make-up workdays must be weekend days: {weekday_makeups}")
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
        basis=_basis(raw["basis"]),
    )


def _basis(table: Table) -> dict[str, str]:
    """Every legal limit and table of grounds cites its provision; nothing else is cited."""
    legal = {field.name for field in fields(Limits)} - OWN_LIMITS
    legal |= {"rejection_grounds", "termination_reasons"}
    if uncited := sorted(legal - {name for name, text in table.items() if str(text).strip()}):
        raise ValueError(f"basis: no provision cited for {uncited}")
    if unknown := sorted(set(table) - legal):
        raise ValueError(f"basis: cites rules the policy does not have: {unknown}")
    return dict(table)


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2024, month, day)  # a real day of some year, or ValueError
    return month, day


def _dates(calendar: dict, years: list[int], key: str) -> frozenset[date]:
    days = {(year, date.fromisoformat(day)) for year in years for day in calendar[str(year)][key]}
    if stray := sorted(day for year, day in days if day.year != year):
        raise ValueError(f"{key} listed under another year's section: {stray}")
    return frozenset(day for _, day in days)
