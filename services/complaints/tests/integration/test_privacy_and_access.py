"""Who sees what: personal data whole only for the handling regulator, masked for admins and
the respondent, absent from events; regions and credit codes bound every caller's view."""

from __future__ import annotations

from datetime import date

import pytest

from qgov_shared.testing.problems import problem

from .conftest import (
    ADDRESS,
    COVERED,
    ID_NUMBER,
    NAME,
    OTHER_CODE,
    PHONE,
    UNCOVERED,
    Desk,
    complaint_body,
    dumped,
    report_body,
)

AGENT = {
    "name": "欧阳娜娜",
    "phone": "13698765432",
    "address": "广东省广州市天河区体育西路1号",
    "relationship": "近亲属",
}
MASKED = {
    "name": "张*",
    "phone": "138****5678",
    "address": "广东省韶关市****",
    "id_number": "1101**********002X",
}


async def test_the_handling_regulator_sees_the_complainant_whole(desk: Desk):
    filed = await desk.file_complaint(complaint_body(agent=AGENT))
    shown = (await desk.show(filed)).json()
    assert shown["personal_data_masked"] is False
    assert shown["person"] == {
        "name": NAME,
        "phone": PHONE,
        "address": ADDRESS,
        "id_number": ID_NUMBER,
    }
    assert shown["agent"] == {**AGENT, "id_number": None}


async def test_an_admin_sees_the_complainant_masked(desk: Desk):
    filed = await desk.file_complaint(complaint_body(agent=AGENT))
    response = await desk.show(filed, as_=desk.admin)
    assert response.status_code == 200, response.text
    shown = response.json()
    assert shown["personal_data_masked"] is True
    assert shown["person"] == MASKED
    assert shown["agent"] == {
        "name": "欧***",
        "phone": "136****5432",
        "address": "广东省广州市****",
        "relationship": "近亲属",
    }
    for secret in (NAME, PHONE, ADDRESS, ID_NUMBER, AGENT["name"], AGENT["phone"]):
        assert secret not in response.text


async def test_the_respondent_sees_its_own_complaints_masked(desk: Desk):
    mine = await desk.file_complaint()
    await desk.file_complaint(
        complaint_body(respondent={"name": "别家", "credit_code": OTHER_CODE})
    )
    await desk.file_report()  # names the same enterprise: reports are not shown to it
    note = await desk.client.post(
        f"/api/v1/submissions/{mine.id}/notes",
        json={"text": "内部：商家曾多次被投诉"},
        headers=desk.regulator,
    )
    assert note.status_code == 201, note.text

    listed = await desk.client.get("/api/v1/enterprise/complaints", headers=desk.enterprise)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == [mine.id]

    response = await desk.client.get(
        f"/api/v1/enterprise/complaints/{mine.id}", headers=desk.enterprise
    )
    assert response.status_code == 200, response.text
    shown = response.json()
    assert (shown["person"], shown["personal_data_masked"]) == (MASKED, True)
    assert shown["notes"] == []
    assert "商家曾多次被投诉" not in response.text
    for secret in (NAME, PHONE, ADDRESS, ID_NUMBER):
        assert secret not in response.text


async def test_an_enterprise_cannot_see_complaints_about_others_nor_reports(desk: Desk):
    about_other = await desk.file_complaint(
        complaint_body(respondent={"name": "别家", "credit_code": OTHER_CODE})
    )
    report = await desk.file_report()  # about the first enterprise
    for filed in (about_other, report):
        path = f"/api/v1/enterprise/complaints/{filed.id}"
        problem(await desk.client.get(path, headers=desk.enterprise), 404)
        answer = {"kind": "answer", "text": "我们没有问题"}
        problem(
            await desk.client.post(f"{path}/responses", json=answer, headers=desk.enterprise), 404
        )
    problem(
        await desk.client.get("/api/v1/enterprise/complaints/9999", headers=desk.enterprise), 404
    )
    listed = await desk.client.get("/api/v1/enterprise/complaints", headers=desk.other_enterprise)
    assert [item["id"] for item in listed.json()["items"]] == [about_other.id]


async def test_the_respondent_answers_until_mediation_ends(desk: Desk):
    filed = await desk.file_complaint()
    path = f"/api/v1/enterprise/complaints/{filed.id}/responses"

    async def respond(kind: str, text: str):
        body = {"kind": kind, "text": text}
        return await desk.client.post(path, json=body, headers=desk.enterprise)

    assert (await respond("answer", "已联系消费者")).status_code == 201  # submitted
    await desk.step_ok(filed, "decision", {"decision": "accept"})
    assert (await respond("settlement_proposal", "退款 800 元")).status_code == 201  # accepted
    await desk.step_ok(filed, "mediation/start")
    answered = await respond("settlement_proposal", "退款 1000 元")  # mediating
    assert answered.status_code == 201, answered.text
    assert answered.json()["person"] == MASKED
    assert [(r["kind"], r["text"]) for r in answered.json()["responses"]] == [
        ("answer", "已联系消费者"),
        ("settlement_proposal", "退款 800 元"),
        ("settlement_proposal", "退款 1000 元"),
    ]

    await desk.step_ok(filed, "mediation/outcome", {"outcome": "mediation_failed"})
    problem(await respond("answer", "再谈谈"), 409)
    await desk.step_ok(filed, "close")
    problem(await respond("settlement_proposal", "退款 1299 元"), 409)
    shown = (await desk.show(filed)).json()
    assert len(shown["responses"]) == 3
    assert [h["action"] for h in shown["history"]].count("enterprise_settlement_proposal") == 2


async def test_an_anonymous_reporter_is_nobody_to_everyone(desk: Desk):
    filed = await desk.file_report(report_body(reporter=None))
    for caller in (desk.regulator, desk.admin):
        shown = (await desk.show(filed, as_=caller)).json()
        assert shown["person"] is None


async def test_another_regions_regulator_neither_sees_nor_acts(desk: Desk):
    filed = await desk.file_complaint()
    elsewhere = await desk.file_complaint(complaint_body(region_code=UNCOVERED))
    them = desk.other_regulator
    problem(await desk.show(filed, as_=them), 404)
    problem(await desk.act(filed, "decision", {"decision": "accept"}, as_=them), 404)
    problem(await desk.act(filed, "notes", {"text": "偷看"}, as_=them), 404)
    assert [item["id"] for item in await desk.listed(as_=them)] == [elsewhere.id]
    assert [item["id"] for item in await desk.listed()] == [filed.id]
    assert (await desk.show(filed)).json()["status"] == "submitted"
    refused = await desk.client.get(
        "/api/v1/submissions", params={"region_code": UNCOVERED}, headers=desk.regulator
    )
    assert refused.status_code == 422, refused.text


async def test_no_event_carries_the_complainants_personal_data(desk: Desk):
    desk.today(date(2026, 3, 2))
    complaint = await desk.file_complaint(complaint_body(agent=AGENT, known_harm_on="2026-01-05"))
    report = await desk.file_report()
    await desk.step_ok(complaint, "decision", {"decision": "accept"})
    await desk.step_ok(complaint, "mediation/start")
    await desk.step_ok(complaint, "mediation/outcome", {"outcome": "mediated", "agreement": "退款"})
    await desk.step_ok(complaint, "close")
    await desk.step_ok(report, "verification")
    desk.today(date(2026, 3, 30))
    assert await desk.announce_overdue() == 1  # the report's decision deadline
    await desk.step_ok(report, "report-decision", {"case_opened": True, "reason": "属实"})

    events = await desk.events()
    assert [e["type"].removeprefix("qgov.complaints.") for e in events] == [
        "complaint.filed.v1",
        "report.filed.v1",
        "complaint.accepted.v1",
        "complaint.closed.v1",
        "submission.overdue.v1",
        "report.case_opened.v1",
    ]
    secrets = [NAME, PHONE, ADDRESS, ID_NUMBER, "李四", "13900001111", "广东省韶关市浈江区"]
    secrets += [AGENT["name"], AGENT["phone"], AGENT["address"]]
    secrets += [complaint_body()["facts"], report_body()["facts"]]
    for event in events:
        text = dumped(event)
        assert [secret for secret in secrets if secret in text] == [], event["type"]
        assert not {"complainant", "reporter", "person", "agent"} & set(event["data"])


REGULATOR_ROUTES = [
    ("GET", "/api/v1/submissions"),
    ("GET", "/api/v1/submissions/due"),
    ("GET", "/api/v1/submissions/1"),
    ("POST", "/api/v1/submissions/1/decision"),
    ("POST", "/api/v1/submissions/1/transfer"),
    ("POST", "/api/v1/submissions/1/notes"),
]
ENTERPRISE_ROUTES = [
    ("GET", "/api/v1/enterprise/complaints"),
    ("GET", "/api/v1/enterprise/complaints/1"),
    ("POST", "/api/v1/enterprise/complaints/1/responses"),
]


@pytest.mark.parametrize(("method", "path"), REGULATOR_ROUTES + ENTERPRISE_ROUTES)
async def test_a_route_for_officials_needs_a_token(desk: Desk, method, path):
    await desk.file_complaint()
    body = problem(await desk.client.request(method, path, json={}), 401)
    assert body["detail"]


@pytest.mark.parametrize(("method", "path"), REGULATOR_ROUTES)
@pytest.mark.parametrize("role", ["citizen", "enterprise"])
async def test_a_regulator_route_refuses_other_roles(desk: Desk, method, path, role):
    await desk.file_complaint()
    caller = desk.citizen if role == "citizen" else desk.enterprise
    problem(await desk.client.request(method, path, json={}, headers=caller), 403)


@pytest.mark.parametrize(("method", "path"), ENTERPRISE_ROUTES)
@pytest.mark.parametrize("role", ["citizen", "regulator", "admin"])
async def test_an_enterprise_route_refuses_other_roles(desk: Desk, method, path, role):
    await desk.file_complaint()
    caller = {"citizen": desk.citizen, "regulator": desk.regulator, "admin": desk.admin}[role]
    problem(await desk.client.request(method, path, json={}, headers=caller), 403)


async def test_tracking_needs_the_right_token_and_tells_nothing_otherwise(desk: Desk):
    filed = await desk.file_complaint()
    tracked = await desk.track(filed)
    assert tracked.status_code == 200, tracked.text
    for secret in (NAME, PHONE, ADDRESS, ID_NUMBER):
        assert secret not in tracked.text

    wrong = problem(await desk.track(filed, token="not-the-token-at-all"), 404)
    other = await desk.file_complaint()
    crossed = problem(await desk.track(filed, token=other.token), 404)
    unknown = problem(
        await desk.client.get(
            "/api/v1/tracking/T20260302ZZZZZZZZ", headers={"X-Tracking-Token": filed.token}
        ),
        404,
    )
    assert wrong["detail"] == crossed["detail"] == unknown["detail"]
    rating = await desk.client.post(
        f"/api/v1/tracking/{filed.tracking_number}/rating",
        json={"satisfaction": 1},
        headers={"X-Tracking-Token": "not-the-token-at-all"},
    )
    problem(rating, 404)


async def test_a_regulator_filtering_by_a_region_not_theirs_is_told_which_parameter(desk: Desk):
    await desk.file_complaint()
    response = await desk.client.get(
        "/api/v1/submissions", params={"region_code": UNCOVERED}, headers=desk.regulator
    )
    body = problem(response, 422)
    assert body["errors"] == [
        {"parameter": "region_code", "in": "query", "detail": "not your region"}
    ]
    own = await desk.listed(region_code=COVERED)
    assert len(own) == 1
