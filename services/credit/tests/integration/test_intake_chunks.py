"""A chunk of events taken in together has the effect of taking them in one by one, in order:
the same files, records, listings, grade history, reasons and published events, in the same
order. Two services get the same files and the same event stream; one applies each event in a
transaction of its own, the other the whole stream in one chunk.

The stream mixes what a chunk must get right: several events for one file (each regrade
announced against the grade the one before left), a file whose stored assessment no longer
holds (a record expired since), a file opened under its bare code and named by an event,
events no rule names or with no valid subject, records that do not count yet or any more, and
listings from within the chunk (a serious penalty; a third failed inspection, which looks back
at the records before it). The shipped rules make no listing from events yet, so the policy
here adds two intake rules of the kind the inspections service's events will need.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from qgov_credit.handlers import Context, grading
from qgov_credit.handlers.intake import take_in, take_in_all
from qgov_credit.policy import IntakeRule, load_policy
from qgov_shared.envelope import CloudEvent
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import TestStack

from .conftest import TODAY, Office, complaint_event, open_office

FAILED_INSPECTION = "qgov.inspections.inspection.failed.v1"
PENALTY = "qgov.inspections.penalty.decided.v1"
SHIPPED = load_policy()
POLICY = dataclasses.replace(
    SHIPPED,
    intake=(
        *SHIPPED.intake,
        IntakeRule(FAILED_INSPECTION, "inspection_failed", "general", {}, "inspected_on"),
        IntakeRule(PENALTY, "serious_penalty", "serious", {}, "decided_on"),
    ),
)
EXPIRED = credit_code(1)  # its inspection stops counting before the stream arrives
UNNAMED = credit_code(2)  # opened by a regulator under its code; the first event names it
BUSY = [credit_code(n) for n in range(3, 7)]
LATER = TODAY + timedelta(days=2)  # the stream's day
TABLES = {
    "enterprises": "SELECT * FROM enterprises ORDER BY credit_code",
    "records": "SELECT * FROM credit_records ORDER BY id",
    "listings": "SELECT * FROM listings ORDER BY id",
    # history ids follow the order files are stored in, not the events': compare each file's
    "history": "SELECT credit_code, changed_at, assessed_on, previous_score, score,"
    " previous_grade, grade, rule_version, cause, reasons FROM grade_changes"
    " ORDER BY credit_code, id",
    # the stored reasons as told, wherever they are kept
    "reasons": "SELECT r.credit_code, coalesce(r.reasons, h.reasons)::text AS reasons"
    " FROM file_reasons AS r LEFT JOIN grade_changes AS h ON h.id = r.history_id"
    " ORDER BY r.credit_code",
    "intake_log": "SELECT * FROM intake_log ORDER BY event_id",
}


def stream() -> list[CloudEvent]:
    """~60 events, the same every run, most of them about four busy files."""
    rng = random.Random(10)
    events = [
        complaint_event(subject=EXPIRED, outcome="mediated", closed_on=LATER.isoformat()),
        complaint_event(subject=UNNAMED, outcome="mediated", closed_on=LATER.isoformat()),
        complaint_event(subject=None, outcome="mediated", closed_on=LATER.isoformat()),
        _event(PENALTY, BUSY[0], decided_on=LATER.isoformat()),
    ]
    for n in range(50):
        subject, age = rng.choice(BUSY), rng.choice([0, 1, 30, 400, 1200, -5])
        outcome = rng.choice(["mediated", "mediation_failed", "terminated"])
        events.append(complaint_event(subject=subject, outcome=outcome, closed_on=_day(-age)))
        if n % 10 == 0:
            inspected = rng.choice([BUSY[0], *BUSY[2:]])
            events.append(_event(FAILED_INSPECTION, inspected, inspected_on=_day(-age)))
    rng.shuffle(events)
    # Failures that arrive newest first: only the fourth, looking back at the three before it
    # (and not at any that come later), makes three within two years.
    for position, age in zip((5, 15, 25, 35), (3, 20, 500, 1), strict=True):
        events.insert(position, _event(FAILED_INSPECTION, BUSY[1], inspected_on=_day(-age)))
    return events


def _day(offset: int) -> str:
    return (LATER + timedelta(days=offset)).isoformat()


def _event(event_type: str, subject: str, **data: Any) -> CloudEvent:
    return complaint_event(event_type, subject=subject, **data)


async def prepared(office: Office) -> Office:
    """The same files in both services: one graded on a record that expires before LATER,
    one opened under its bare code, one busy file with a stored assessment."""
    inspected_on = TODAY - timedelta(days=364)  # counts until TODAY + 1
    await office.entered(EXPIRED, "inspection_passed", occurred_on=inspected_on.isoformat())
    await office.entered(UNNAMED, "inspection_passed")
    await office.entered(BUSY[2], "penalty")
    office.clock.today(LATER)
    return office


async def state(office: Office) -> dict[str, Any]:
    """Everything the intake writes, and the events it published, oldest first."""
    async with office.svc.runtime.engine.connect() as connection:
        tables = {
            name: [dict(row) for row in (await connection.execute(text(sql))).mappings()]
            for name, sql in TABLES.items()
        }
    events = [
        (e["type"], e["subject"], e["data"])
        for e in await published_events(office.svc.runtime.engine)
    ]
    return tables | {"events": events}


@pytest.fixture
async def offices(stack: TestStack) -> AsyncIterator[tuple[Office, Office]]:
    async with (
        open_office(stack, TestClock(), run_consumers=False) as one_by_one,
        open_office(stack, TestClock(), run_consumers=False) as chunked,
    ):
        yield await prepared(one_by_one), await prepared(chunked)


async def test_a_chunk_of_events_has_the_effect_of_taking_them_one_by_one(offices):
    one_by_one, chunked = offices
    events = stream()
    ctx = Context(policy=POLICY, now=one_by_one.clock.now)

    for event in events:
        async with one_by_one.svc.runtime.unit_of_work() as uow:
            await take_in(event, uow, ctx)
            await uow.commit()
    async with chunked.svc.runtime.unit_of_work() as uow:
        await take_in_all(events, uow, ctx)
        await uow.commit()

    expected, got = await state(one_by_one), await state(chunked)
    assert got == expected
    # and the stream did what it is for
    assert {r["credit_code"]: (r["reason"], r["listed_on"]) for r in got["listings"]} == {
        BUSY[0]: ("serious_penalty", LATER),
        BUSY[1]: ("repeated_inspection_failed", LATER - timedelta(days=1)),
    }
    files = {row["credit_code"]: row for row in got["enterprises"]}
    assert files[UNNAMED]["name"] == "韶关某电器商行"
    assert (files[EXPIRED]["score"], files[EXPIRED]["grade"]) == (98, "A")  # 100 + 2 gone, - 2
    changed = [data for kind, _, data in got["events"] if kind == "qgov.credit.grade.changed.v1"]
    per_file = {code: sum(d["credit_code"] == code for d in changed) for code in BUSY}
    assert min(per_file.values()) >= 2  # each busy file moved more than once in the chunk
    assert len(got["intake_log"]) == len(events)


async def test_after_a_chunk_a_rebuild_finds_every_stored_grade_right(offices):
    _, chunked = offices
    ctx = Context(policy=POLICY, now=chunked.clock.now)
    async with chunked.svc.runtime.unit_of_work() as uow:
        await take_in_all(stream(), uow, ctx)
        await uow.commit()
    before = await state(chunked)

    report = await grading.rebuild(chunked.svc.runtime.unit_of_work, ctx, chunk=2)

    assert report == {"enterprises": 6, "differing": 0}
    assert await state(chunked) == before  # the same reasons stored, nothing announced
