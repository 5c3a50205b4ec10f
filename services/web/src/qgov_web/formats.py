"""How the pages write the platform's values: times in China's time zone, to the minute, and
dates as ISO dates (unambiguous in both languages)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def local_time(value: str | datetime | None) -> str:
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else _parse_time(value)
    if moment is None:
        return str(value)
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def local_date(value: str | date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.astimezone(CHINA).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    moment = _parse_time(value) if "T" in value else None
    return moment.astimezone(CHINA).date().isoformat() if moment else value[:10]


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


FILTERS = {"local_time": local_time, "local_date": local_date, "percent": percent}
