"""The traceability rules that are not EPCIS: trace codes, and a recall's deadlines and steps.
Pure functions and values; no I/O, no framework."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from qgov_shared.errors import RuleViolation
from qgov_traceability.policy import RecallRules

# Trace codes are printed under a QR code and typed in by hand: upper-case letters and digits
# without the look-alikes (0/O, 1/I/L), which QR's alphanumeric mode encodes compactly. Twelve
# random characters of 31 carry 59 bits, far beyond guessing; a 13th checks typing.
TRACE_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACE_CODE_RANDOM = 12
TRACE_CODE_LENGTH = TRACE_CODE_RANDOM + 1


def new_trace_code(random_below: Callable[[int], int]) -> str:
    """A fresh trace code; `random_below(n)` is a cryptographic choice in [0, n)."""
    body = "".join(TRACE_CODE_ALPHABET[random_below(31)] for _ in range(TRACE_CODE_RANDOM))
    return body + _trace_check(body)


def is_trace_code(text: str) -> bool:
    """Shaped like a code this service issues, check character included."""
    return (
        len(text) == TRACE_CODE_LENGTH
        and all(c in TRACE_CODE_ALPHABET for c in text)
        and _trace_check(text[:-1]) == text[-1]
    )


def _trace_check(body: str) -> str:
    # Weighted sum modulo 31 (a prime): catches every single substitution and adjacent swap.
    total = sum((i + 2) * TRACE_CODE_ALPHABET.index(c) for i, c in enumerate(body))
    return TRACE_CODE_ALPHABET[total % 31]


class RecallStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class RecallState:
    status: RecallStatus
    initiated_on: date
    deadline: date
    closed_on: date | None = None


def check_deadline(deadline: date, today: date) -> None:
    if deadline <= today:
        raise RuleViolation("the recall's deadline must be after today", "deadline")


def check_progress(state: RecallState, units: int, party_in_scope: bool) -> None:
    if state.status is not RecallStatus.OPEN:
        raise RuleViolation("this recall is closed")
    if not party_in_scope:
        raise RuleViolation("this party holds none of the recalled products", "party")


def check_closing(state: RecallState) -> None:
    if state.status is not RecallStatus.OPEN:
        raise RuleViolation("this recall is closed already")


def is_overdue(state: RecallState, today: date) -> bool:
    """The plan's deadline passed with the recall still open."""
    return state.status is RecallStatus.OPEN and today > state.deadline


def next_progress_report_on(state: RecallState, today: date, rules: RecallRules) -> date | None:
    """When the next progress report is due: every interval from the recall's start."""
    if state.status is not RecallStatus.OPEN:
        return None
    interval = rules.progress_report_interval_days
    periods = (today - state.initiated_on).days // interval + 1
    return state.initiated_on + timedelta(days=periods * interval)


def summary_due_on(state: RecallState, rules: RecallRules) -> date | None:
    """When the summary of a closed recall is due. Counts Monday to Friday: this service
    knows no holiday calendar, so around public holidays and their make-up workdays the day
    can differ from the official count by a few days (an estimate, shown as such)."""
    if state.closed_on is None:
        return None
    return add_weekdays(state.closed_on, rules.summary_due_working_days)


def add_weekdays(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
