"""Credit's events for the tests, shaped as credit's contracts say. Test modules import them
with `from .credit_feed import`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from qgov_shared.envelope import CloudEvent, new_event
from qgov_shared.testing.clock import CHINA, START

TODAY = START.astimezone(CHINA).date()


def _credit_event(event_type: str, code: str, **data: Any) -> CloudEvent:
    data = {"credit_code": code, "region_code": code[2:8], **data}
    return new_event(event_type, source="/qgov/credit", subject=code, data=data)


def listed(code: str, on: date = TODAY) -> CloudEvent:
    return _credit_event(
        "qgov.credit.enterprise.listed.v1",
        code,
        listed_on=on.isoformat(),
        reason="serious_penalty",
        earliest_delisting_on=(on + timedelta(days=365)).isoformat(),
        joint_punishment=["barred_from_quality_awards", "flagged_in_public_procurement"],
    )


def delisted(code: str, listed_on: date, on: date) -> CloudEvent:
    return _credit_event(
        "qgov.credit.enterprise.delisted.v1",
        code,
        listed_on=listed_on.isoformat(),
        delisted_on=on.isoformat(),
        reason="repair_approved",
    )


def graded(code: str, grade: str, score: int, *reasons: dict[str, Any]) -> CloudEvent:
    return _credit_event(
        "qgov.credit.grade.changed.v1",
        code,
        previous_grade="A",
        grade=grade,
        previous_score=100,
        score=score,
        rule_version="2026.1",
        cause="rebuild",
        assessed_on=TODAY.isoformat(),
        reasons=list(reasons),
    )


def reason(record_id: int, kind: str, severity: str, on: date, days: int) -> dict[str, Any]:
    """One live record of a grade change, as credit lists it."""
    return {
        "record_id": record_id,
        "kind": kind,
        "severity": severity,
        "points": -30,
        "effective_on": on.isoformat(),
        "counts_until": (on + timedelta(days=days)).isoformat(),
        "public": True,
    }


def record_added(code: str, record_id: int, kind: str, severity: str, on: date) -> CloudEvent:
    return _credit_event(
        "qgov.credit.record.added.v1",
        code,
        record_id=record_id,
        kind=kind,
        severity=severity,
        occurred_on=on.isoformat(),
        public=True,
    )
