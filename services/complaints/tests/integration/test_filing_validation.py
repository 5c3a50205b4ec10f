"""Filing: an Idempotency-Key makes a retry harmless, and every bad input is a problem+json
naming its field that stores nothing, neither a submission nor an event."""

from __future__ import annotations

import json
from datetime import date

import pytest

from qgov_shared.testing.problems import pointers, problem

from .conftest import CODE, Desk, complaint_body, open_desk, report_body

MAX_BODY = 4096
COMPLAINTS, REPORTS = "/api/v1/complaints", "/api/v1/reports"


async def nothing_stored(desk: Desk) -> None:
    assert await desk.submissions() == 0
    assert await desk.events() == []


async def test_a_retried_filing_gets_the_first_receipt(desk: Desk, contracts):
    body = complaint_body()
    key = {"Idempotency-Key": "filing-7f3a"}
    first = await desk.client.post(COMPLAINTS, json=body, headers=key)
    again = await desk.client.post(COMPLAINTS, json=body, headers=key)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()  # the same tracking number and token
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await desk.submissions() == 1
    [event] = await desk.events()
    assert event["data"]["tracking_number"] == first.json()["tracking_number"]
    contracts.check(event)

    tracked = await desk.client.get(
        f"/api/v1/tracking/{first.json()['tracking_number']}",
        headers={"X-Tracking-Token": again.json()["token"]},
    )
    assert tracked.status_code == 200, tracked.text


async def test_a_key_reused_with_another_body_is_a_409(desk: Desk):
    key = {"Idempotency-Key": "filing-reused"}
    first = await desk.client.post(COMPLAINTS, json=complaint_body(), headers=key)
    assert first.status_code == 201, first.text
    other = complaint_body(facts="完全不同的事实。")
    refused = problem(await desk.client.post(COMPLAINTS, json=other, headers=key), 409)
    assert refused["errors"] == [
        {"header": "Idempotency-Key", "detail": "reused with another body"}
    ]
    assert await desk.submissions() == 1
    assert len(await desk.events()) == 1


async def test_without_a_key_each_filing_is_its_own(desk: Desk):
    first = await desk.file_complaint()
    second = await desk.file_complaint()
    assert first.tracking_number != second.tracking_number
    assert await desk.submissions() == 2
    assert len(await desk.events("complaint.filed")) == 2


def _without(path: str) -> dict:
    """A complaint missing the field at `path` ("respondent.name")."""
    body = complaint_body()
    *parents, name = path.split(".")
    holder = body
    for parent in parents:
        holder = holder[parent]
    del holder[name]
    return body


def _with(**nested: dict) -> dict:
    """A complaint with some fields of a nested object changed."""
    body = complaint_body()
    for part, changes in nested.items():
        body[part] = {**body[part], **changes}
    return body


BAD_COMPLAINTS = {
    "credit code check character": (
        _with(respondent={"credit_code": CODE[:-1] + "0"}),
        "#/respondent/credit_code",
    ),
    "credit code too short": (
        _with(respondent={"credit_code": CODE[:-1]}),
        "#/respondent/credit_code",
    ),
    "unknown region": (complaint_body(region_code="449999"), "#/region_code"),
    "region not six digits": (complaint_body(region_code="44020"), "#/region_code"),
    "future incident": (complaint_body(incident_on="2026-03-03"), "#/incident_on"),
    "future known harm": (complaint_body(known_harm_on="2026-04-01"), "#/known_harm_on"),
    "missing facts": (_without("facts"), "#/facts"),
    "missing request": (_without("request"), "#/request"),
    "missing complainant phone": (_without("complainant.phone"), "#/complainant/phone"),
    "blank facts": (complaint_body(facts="   "), "#/facts"),
    "oversized facts": (complaint_body(facts="事" * 5001), "#/facts"),
    "unknown category": (complaint_body(category="weapons"), "#/category"),
    "malformed phone": (_with(complainant={"phone": "1381234567"}), "#/complainant/phone"),
    "phone with letters": (_with(complainant={"phone": "138abcd5678"}), "#/complainant/phone"),
    "resident id check digit": (
        _with(complainant={"id_number": "110105194912310021"}),
        "#/complainant/id_number",
    ),
    "negative amount": (complaint_body(amount="-1"), "#/amount"),
    "unknown field": ({**complaint_body(), "nickname": "小张"}, "#/nickname"),
}


@pytest.mark.parametrize(("body", "pointer"), BAD_COMPLAINTS.values(), ids=BAD_COMPLAINTS.keys())
async def test_a_bad_complaint_is_refused_naming_the_field(desk: Desk, body, pointer):
    desk.today(date(2026, 3, 2))
    refused = problem(await desk.client.post(COMPLAINTS, json=body), 422)
    assert pointers(refused) == [pointer]
    assert all(error["detail"] for error in refused["errors"])
    await nothing_stored(desk)


BAD_REPORTS = {
    "malformed reporter phone": (
        report_body(reporter={"name": "李四", "phone": "021-123", "address": "上海"}),
        "#/reporter/phone",
    ),
    "reporter id check digit": (
        report_body(
            reporter={
                "name": "李四",
                "phone": "13900001111",
                "address": "上海",
                "id_number": "11010519491231002Y",
            }
        ),
        "#/reporter/id_number",
    ),
    "unknown category": (report_body(category="gossip"), "#/category"),
    "future incident": (report_body(incident_on="2027-01-01"), "#/incident_on"),
    "credit code check character": (
        report_body(respondent={"name": "某厂", "credit_code": "9144030071526726X0"}),
        "#/respondent/credit_code",
    ),
    "missing region": (report_body(region_code=None), "#/region_code"),
}


@pytest.mark.parametrize(("body", "pointer"), BAD_REPORTS.values(), ids=BAD_REPORTS.keys())
async def test_a_bad_report_is_refused_naming_the_field(desk: Desk, body, pointer):
    desk.today(date(2026, 3, 2))
    refused = problem(await desk.client.post(REPORTS, json=body), 422)
    assert pointers(refused) == [pointer]
    await nothing_stored(desk)


async def test_the_days_are_counted_in_china_standard_time(desk: Desk):
    desk.today(date(2026, 3, 2), hour=1)  # still 1 March in UTC
    filed = await desk.file_complaint(incident_on="2026-03-02", known_harm_on="2026-03-02")
    assert filed.tracking_number.startswith("T20260302")
    assert filed.receipt["due_on"] == "2026-03-11"


@pytest.mark.parametrize("path", [COMPLAINTS, REPORTS])
@pytest.mark.parametrize("content_type", ["text/plain", "application/xml"])
async def test_a_body_that_is_not_json_is_a_415(desk: Desk, path, content_type):
    content = json.dumps(complaint_body() if path == COMPLAINTS else report_body()).encode()
    response = await desk.client.post(path, content=content, headers={"content-type": content_type})
    problem(response, 415)
    assert "application/json" in response.headers["Accept-Post"]
    await nothing_stored(desk)


async def test_a_body_over_the_limit_is_a_413(stack, clock):
    async with open_desk(stack, clock, max_body_bytes=MAX_BODY) as desk:
        body = complaint_body(facts="商品质量问题。" * 400)  # 2,800 characters, 8,400 bytes
        assert len(body["facts"]) <= 5000
        response = await desk.client.post(COMPLAINTS, json=body)
        problem(response, 413)
        await nothing_stored(desk)
        assert (await desk.file_complaint()).receipt["status"] == "submitted"  # a normal one fits


async def test_a_malformed_json_body_is_a_422(desk: Desk):
    response = await desk.client.post(
        COMPLAINTS, content=b'{"facts": "unterminated', headers={"content-type": "application/json"}
    )
    problem(response, 422)
    await nothing_stored(desk)
