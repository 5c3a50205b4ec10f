"""What the running service publishes: every event type it declares, each passing its contract
and dated by the service's clock, and an amount as the service keeps it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qgov_complaints import SERVICE

from .conftest import Desk


async def test_every_event_type_is_published_to_its_contract_at_the_clocks_instant(
    desk: Desk, contracts
):
    desk.today(date(2026, 3, 2))
    closed = await desk.file_complaint()
    rejected = await desk.file_complaint()
    opened = await desk.file_report()
    not_opened = await desk.file_report()
    filed_at = desk.clock.now
    desk.today(date(2026, 3, 3), hour=15)
    await desk.step_ok(closed, "decision", {"decision": "accept"})
    await desk.step_ok(closed, "mediation/outcome", {"outcome": "mediation_failed"})
    await desk.step_ok(closed, "close")
    await desk.step_ok(rejected, "decision", {"decision": "reject", "ground": "outside_duties"})
    for report, case_opened in ((opened, True), (not_opened, False)):
        await desk.step_ok(report, "verification")
        decision = {"case_opened": case_opened, "reason": "核查结果"}
        await desk.step_ok(report, "report-decision", decision)
    await desk.file_complaint()  # acceptance due 3-12, left to pass
    decided_at = desk.clock.now
    desk.today(date(2026, 3, 13), hour=9)
    assert await desk.announce_overdue() == 1

    published = await desk.events()
    assert {event["type"] for event in published} == {m.TYPE for m in SERVICE.event_models()}
    for event in published:
        contracts.check(event)
        at = datetime.fromisoformat(event["time"])
        assert at in {filed_at, decided_at, desk.clock.now}, event["type"]


@pytest.mark.parametrize(
    ("given", "announced"),
    [("1299", "1299.00"), ("1E+3", "1000.00"), ("0.5", "0.50"), (88, "88.00")],
)
async def test_the_amount_is_announced_to_the_fen_as_it_is_kept(
    desk: Desk, contracts, given, announced
):
    filed = await desk.file_complaint(amount=given)

    assert (await desk.show(filed)).json()["amount"] == announced
    [event] = await desk.events("complaint.filed")
    assert event["data"]["amount"] == announced
    contracts.check(event)


async def test_a_complaint_without_an_amount_announces_none(desk: Desk, contracts):
    await desk.file_complaint(amount=None)

    [event] = await desk.events("complaint.filed")
    assert "amount" not in event["data"]
    contracts.check(event)
