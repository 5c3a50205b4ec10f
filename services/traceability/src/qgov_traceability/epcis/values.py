"""Scalars as the event hash writes them, and times as EPCIS gives them: numbers without
trailing zeros, times in UTC to the millisecond, CBV URNs as web URIs, identifiers as
canonical Digital Links."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from qgov_traceability.epcis.identifiers import canonical
from qgov_traceability.epcis.vocabulary import expand

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def items(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def scalar(value: Any) -> str:
    """A scalar as the hash writes it: numbers without trailing zeros, booleans as XML does,
    CBV URNs as web URIs, identifiers as canonical Digital Links."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return plain_number(repr(value))
    written = text(value)
    if _NUMBER.match(written):
        return plain_number(written)
    try:
        return canonical(expand(written))
    except ValueError:
        return written


def plain_number(text: str) -> str:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def utc_millis(timestamp: str) -> str:
    """An RFC 3339 time in UTC with milliseconds (`…T10:00:30.000Z`); the fraction beyond
    milliseconds is cut, as CBV 2.0 says nothing of rounding."""
    moment = parse_time(timestamp)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(timestamp: str) -> datetime:
    """An RFC 3339 date-time with its offset; `ValueError` for anything else."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", timestamp.strip())
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None or "T" not in text.upper():
        raise ValueError("a time needs a date, a time and an offset")
    return moment
