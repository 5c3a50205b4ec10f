"""Events from other services become credit records through the `credit.intake` group, by the
policy's intake rules; events no rule names are logged, never dropped silently; a delivery
repeated counts once; and a complaint closed in the complaints service reaches the file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as create_complaints_app
from qgov_complaints.models import Submission
from qgov_credit.events import RecordAdded
from qgov_credit.models import CreditRecord, Enterprise, IntakeEntry
from qgov_credit.policy import load_policy
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, TODAY, Office, complaint_event, listening_office

CLOSED = "qgov.complaints.complaint.closed.v1"
CLOSED_ON = (TODAY - timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    ("outcome", "kind", "score", "public"),
    [
        ("mediated", "substantiated_complaint", 98, True),
        ("mediation_failed", "mediation_failed", 99, False),
    ],
)
async def test_a_closed_complaint_becomes_the_record_its_outcome_names(
    intake: Office, contracts, outcome, kind, score, public
):
    enterprise = credit_code(1)
    event = complaint_event(subject=enterprise, outcome=outcome, closed_on=CLOSED_ON)
    contracts.check(event)  # what the complaints service would send

    await intake.produce(event)

    entry = await intake.handled(event.id)
    assert (entry.event_type, entry.credit_code, entry.outcome) == (CLOSED, enterprise, "recorded")
    [record] = await intake.records(enterprise)
    assert (record.kind, record.severity, record.public) == (kind, "minor", public)
    assert record.effective_on == date.fromisoformat(CLOSED_ON)  # the day it closed, not received
    assert (record.source_event_id, record.source_event_type) == (event.id, CLOSED)
    assert record.entered_by is None
    shown = await intake.file_ok(enterprise)
    assert (shown["score"], shown["grade"]) == (score, "A")
    assert [(r["kind"], r["points"]) for r in shown["reasons"]] == [(kind, score - 100)]
    [changed] = await intake.grade_changes(enterprise)
    assert changed["data"]["cause"] == f"event:{CLOSED}:{event.id}"
    assert (changed["data"]["previous_score"], changed["data"]["score"]) == (100, score)
    contracts.check(changed)


async def test_a_terminated_complaint_makes_no_record_but_is_logged(intake: Office):
    enterprise = credit_code(2)
    event = complaint_event(subject=enterprise, outcome="terminated", closed_on=CLOSED_ON)

    await intake.produce(event)

    entry = await intake.handled(event.id)
    assert (entry.credit_code, entry.outcome) == (enterprise, "no_rule")
    assert await intake.count(CreditRecord) == 0
    assert await intake.count(Enterprise) == 0  # no file is opened for a fact that scores nothing
    assert (await intake.file(enterprise)).status_code == 404
    assert await intake.grade_changes() == []


async def test_a_report_case_opened_becomes_a_record_on_the_day_it_was_decided(
    intake: Office, contracts
):
    enterprise = credit_code(3)
    decided_on = TODAY - timedelta(days=10)
    event = complaint_event(
        "qgov.complaints.report.case_opened.v1",
        subject=enterprise,
        decided_on=decided_on.isoformat(),
    )
    contracts.check(event)

    await intake.produce(event)

    assert (await intake.handled(event.id)).outcome == "recorded"
    [record] = await intake.records(enterprise)
    assert (record.kind, record.severity, record.effective_on) == (
        "report_case_opened",
        "general",
        decided_on,
    )
    shown = await intake.file_ok(enterprise)
    assert (shown["score"], shown["grade"]) == (95, "A")
    [reason] = shown["reasons"]
    assert reason["counts_until"] == (decided_on + timedelta(days=730)).isoformat()


async def test_an_event_no_rule_names_is_logged_and_changes_nothing(intake: Office):
    enterprise = credit_code(4)
    mediated = complaint_event(subject=enterprise, outcome="mediated", closed_on=CLOSED_ON)
    filed = complaint_event(
        "qgov.complaints.complaint.filed.v1", subject=enterprise, received_on=TODAY.isoformat()
    )

    await intake.produce(mediated)
    await intake.produce(filed)  # same key, same partition: taken in after the first

    entry = await intake.handled(filed.id)
    assert (entry.event_type, entry.credit_code, entry.outcome) == (
        "qgov.complaints.complaint.filed.v1",
        enterprise,
        "no_rule",
    )
    assert [r.source_event_id for r in await intake.records(enterprise)] == [mediated.id]
    assert (await intake.file_ok(enterprise))["score"] == 98
    assert len(await intake.grade_changes(enterprise)) == 1


@pytest.mark.parametrize("subject", [None, "91440200MA00000010"], ids=["none", "mistyped"])
async def test_an_event_without_a_valid_subject_is_logged_as_no_enterprise(intake: Office, subject):
    event = complaint_event(subject=subject, outcome="mediated", closed_on=CLOSED_ON)

    await intake.produce(event)

    entry = await intake.handled(event.id)
    assert (entry.credit_code, entry.outcome) == (None, "no_enterprise")
    assert await intake.count(CreditRecord) == 0
    assert await intake.count(Enterprise) == 0
    assert await intake.grade_changes() == []


async def test_the_same_event_delivered_twice_counts_once(intake: Office):
    enterprise = credit_code(5)
    event = complaint_event(subject=enterprise, outcome="mediated", closed_on=CLOSED_ON)
    [consumer] = intake.svc.runtime.consumers

    await intake.produce(event, times=2)

    async def both_delivered() -> bool:
        return consumer.stats.processed + consumer.stats.duplicates >= 2

    await wait_for(both_delivered, what="both deliveries")
    assert (consumer.stats.processed, consumer.stats.duplicates) == (1, 1)
    assert len(await intake.records(enterprise)) == 1
    assert await intake.count(IntakeEntry) == 1
    assert (await intake.file_ok(enterprise))["score"] == 98
    assert len(await intake.grade_changes(enterprise)) == 1
    assert await intake.history_rows(enterprise) == 1


async def test_an_enterprise_first_named_by_an_event_gets_its_name_and_registered_region(
    intake: Office,
):
    enterprise = credit_code(6)
    event = complaint_event(  # the complaint arose in Shaoguan's 武江区; the file keeps the code's
        subject=enterprise,
        outcome="mediated",
        closed_on=CLOSED_ON,
        respondent_name="韶关市武江区某电器商行",
        region_code="440203",
    )

    await intake.produce(event)

    await intake.handled(event.id)
    shown = await intake.file_ok(enterprise)
    assert (shown["name"], shown["region_code"]) == ("韶关市武江区某电器商行", enterprise[2:8])
    assert shown["rule_version"] == load_policy().version
    assert shown["assessed_on"] == TODAY.isoformat()
    [listed] = await intake.listed("/enterprises")
    assert (listed["credit_code"], listed["score"], listed["grade"]) == (enterprise, 98, "A")
    [added] = await intake.published(RecordAdded.TYPE, enterprise)
    assert (added["data"]["kind"], added["data"]["occurred_on"]) == (
        "substantiated_complaint",
        CLOSED_ON,
    )
    assert added["data"]["region_code"] == enterprise[2:8]


async def test_a_loosely_spelled_subject_is_filed_under_the_code_as_the_api_spells_it(
    office: Office,
):
    enterprise = credit_code(8)
    event = complaint_event(subject=enterprise.lower(), outcome="mediated", closed_on=CLOSED_ON)

    await office.take_in(event)

    assert (await office.intake_log(event.id)).credit_code == enterprise
    assert [r.credit_code for r in await office.records(enterprise)] == [enterprise]
    assert (await office.file_ok(enterprise))["score"] == 98


COMPLAINT = {
    "complainant": {"name": "张三", "phone": "13812345678", "address": "广东省韶关市武江区"},
    "respondent": {"name": "韶关某电器商行", "address": "韶关市武江区"},
    "request": "退还货款 1299 元",
    "facts": "购买的电饭煲使用三天后无法加热，商家拒绝退货。",
    "category": "electronics",
    "region_code": "440203",
    "amount": "1299.00",
    "incident_on": (TODAY - timedelta(days=10)).isoformat(),
}


async def test_a_complaint_mediated_in_the_complaints_service_lowers_the_credit_score(
    stack: TestStack, clock: TestClock, contracts
):
    enterprise = credit_code(7)
    regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
    complaints_app = lambda s: create_complaints_app(s, clock=clock)  # noqa: E731
    async with run_service(stack, COMPLAINTS, complaints_app, ComplaintsSettings) as complaints:
        complaints.app.state.token_verifier = KEYS.verifier()
        prefix = complaints.settings.kafka_topic_prefix
        async with listening_office(stack, clock, prefix=prefix) as credit:
            body = {
                **COMPLAINT,
                "respondent": {**COMPLAINT["respondent"], "credit_code": enterprise},
            }
            filed = await complaints.client.post("/api/v1/complaints", json=body)
            assert filed.status_code == 201, filed.text
            tracking = filed.json()["tracking_number"]
            async with complaints.runtime.session_factory() as session:
                query = select(Submission.id).where(Submission.tracking_number == tracking)
                submission = await session.scalar(query)

            closed_on = TODAY + timedelta(days=1)
            clock.today(closed_on)
            for step, step_body in [
                ("decision", {"decision": "accept"}),
                ("mediation/start", None),
                ("mediation/outcome", {"outcome": "mediated", "agreement": "退款 1000 元"}),
                ("close", None),
            ]:
                response = await complaints.client.post(
                    f"/api/v1/submissions/{submission}/{step}", json=step_body, headers=regulator
                )
                assert response.status_code == 200, f"{step}: {response.text}"

            async def graded() -> bool:
                response = await credit.file(enterprise)
                return response.status_code == 200 and response.json()["score"] == 98

            await wait_for(graded, what="the closed complaint in the credit file")
            shown = await credit.file_ok(enterprise)
            assert (shown["grade"], shown["name"], shown["region_code"]) == (
                "A",
                "韶关某电器商行",
                enterprise[2:8],  # registered region, from the code, not where it was filed
            )
            [record] = shown["records"]
            assert (record["kind"], record["effective_on"]) == (
                "substantiated_complaint",
                closed_on.isoformat(),
            )
            assert record["source_event_type"] == CLOSED
            entries = {e.event_type: e.outcome for e in await _log(credit)}
            assert entries[CLOSED] == "recorded"
            [changed] = await credit.grade_changes(enterprise)
            contracts.check(changed)
            # the complaint's earlier steps were taken in too, and scored nothing
            assert entries["qgov.complaints.complaint.filed.v1"] == "no_rule"
            assert entries["qgov.complaints.complaint.accepted.v1"] == "no_rule"


async def _log(office: Office) -> list[IntakeEntry]:
    async with office.svc.runtime.session_factory() as session:
        return list(await session.scalars(select(IntakeEntry)))
