"""Regulators enter records through the API; scores, grades and their history follow the rule
set; files are seen only by those who may; records expire on their date; a rebuild from the
records alone agrees with what is stored."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest

from qgov_credit.events import RecordAdded
from qgov_credit.handlers import grading
from qgov_credit.main import create_app
from qgov_credit.models import CreditRecord, Enterprise
from qgov_credit.policy import load_policy
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.stack import RunningService, run_replica
from qgov_shared.testing.tokens import bearer

from .conftest import GRADE_CHANGED, KEYS, TODAY, Office, complaint_event

RECORD_ADDED = RecordAdded.TYPE

ENTERPRISE = credit_code(1)
ELSEWHERE = credit_code(
    1, region_code="440300"
)  # registered in Shenzhen, outside the regulator's 440200


@pytest.mark.parametrize(
    ("kind", "severity", "score", "grade"),
    [
        ("inspection_failed", None, 90, "A"),
        ("inspection_failed", "serious", 80, "B"),
        ("inspection_passed", None, 100, "A"),
        ("penalty", None, 85, "B"),
        ("serious_penalty", None, 60, "D"),  # 60 would be C, but it lists the enterprise: D
        ("quality_accident", None, 90, "A"),
        ("quality_accident", "serious", 70, "C"),
        ("safety_accident", None, 90, "A"),
        ("environmental_accident", "serious", 70, "C"),
    ],
)
async def test_each_entry_kind_moves_the_score_and_grade_as_the_policy_says(
    office: Office, kind, severity, score, grade
):
    fields = {"severity": severity} if severity else {}
    entered = await office.entered(ENTERPRISE, kind, note="2026年第一季度监督抽查", **fields)

    expected_severity = severity or office.svc.app.state.dependencies.policy.entry_severities[kind]
    assert (entered["kind"], entered["severity"]) == (kind, expected_severity)
    assert (entered["effective_on"], entered["public"]) == (TODAY.isoformat(), True)
    assert entered["entered_by"] == "regulator:reg-shaoguan"
    assert entered["note"] == "2026年第一季度监督抽查"
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"]) == (score, grade)
    assert [(r["record_id"], r["kind"]) for r in shown["reasons"]] == [(entered["id"], kind)]
    assert len(await office.grade_changes(ENTERPRISE)) == (0 if score == 100 else 1)


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [
        ({"credit_code": "91440200MA00000010"}, "#/credit_code"),  # check character is F
        ({"kind": "bribery"}, "#/kind"),
        ({"kind": "substantiated_complaint"}, "#/kind"),  # only complaints make these
        ({"kind": "penalty", "severity": "serious"}, "#/severity"),
        ({"kind": "inspection_failed", "severity": "minor"}, "#/severity"),
        ({"occurred_on": (TODAY + timedelta(days=1)).isoformat()}, "#/occurred_on"),
    ],
)
async def test_a_record_the_policy_refuses_is_422_naming_the_field(office: Office, fields, pointer):
    body = {"kind": "penalty", **fields}
    response = await office.enter(body.pop("credit_code", ENTERPRISE), body.pop("kind"), **body)

    assert pointers(problem(response, 422)) == [pointer]
    assert await office.count(CreditRecord) == 0
    assert await office.count(Enterprise) == 0


async def test_a_regulator_of_another_region_neither_writes_nor_reads_the_file(office: Office):
    response = await office.enter(ENTERPRISE, "penalty", as_=office.other_regulator)
    problem(response, 404)
    assert await office.count(Enterprise) == 0  # not even an empty file was opened
    assert await office.count(CreditRecord) == 0

    await office.entered(ENTERPRISE, "penalty")
    problem(await office.file(ENTERPRISE, as_=office.other_regulator), 404)
    history = f"/api/v1/credit/enterprises/{ENTERPRISE}/history"
    problem(await office.client.get(history, headers=office.other_regulator), 404)
    assert await office.listed("/enterprises", as_=office.other_regulator) == []


async def test_an_enterprise_reads_its_own_file_and_no_other(office: Office):
    await office.entered(ENTERPRISE, "penalty")
    await office.entered(credit_code(2), "inspection_failed")

    mine = await office.file(ENTERPRISE, as_=office.enterprise(ENTERPRISE))
    assert mine.status_code == 200, mine.text
    assert (mine.json()["score"], len(mine.json()["records"])) == (85, 1)
    problem(await office.file(credit_code(2), as_=office.enterprise(ENTERPRISE)), 404)
    problem(
        await office.file(credit_code(3), as_=office.enterprise(credit_code(3))), 404
    )  # no file yet
    admin = await office.file(credit_code(2), as_=office.admin)
    assert admin.json()["score"] == 90


async def test_a_file_needs_an_access_token(office: Office):
    await office.entered(ENTERPRISE, "penalty")
    for path in (f"/enterprises/{ENTERPRISE}", f"/enterprises/{ENTERPRISE}/history"):
        response = await office.client.get(f"/api/v1/credit{path}")
        problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
    citizen = bearer(KEYS.mint("citizen", sub="citizen-1"))
    problem(await office.file(ENTERPRISE, as_=citizen), 403)
    problem(await office.client.get("/api/v1/credit/enterprises"), 401)
    listing = await office.client.get(
        "/api/v1/credit/enterprises", headers=office.enterprise(ENTERPRISE)
    )
    problem(listing, 403)  # the list is the regulators' risk view
    problem(await office.client.post("/api/v1/credit/records", json={}), 401)


async def test_the_public_file_shows_public_records_only(office: Office):
    inspected_on = (TODAY - timedelta(days=20)).isoformat()
    closed_on = (TODAY - timedelta(days=10)).isoformat()
    await office.entered(ENTERPRISE, "inspection_failed", occurred_on=inspected_on)
    failed = complaint_event(subject=ENTERPRISE, outcome="mediation_failed", closed_on=closed_on)
    await office.take_in(failed)
    assert (await office.file_ok(ENTERPRISE))["score"] == 89  # it counts, yet is not shown

    response = await office.client.get(f"/api/v1/credit/public/{ENTERPRISE}")

    assert response.status_code == 200, response.text
    assert response.json() == {
        "credit_code": ENTERPRISE,
        "name": "韶关某电器商行",  # opened by a regulator's record, named by the later event
        "listed": False,
        "listing": None,
        "records": [
            {"kind": "inspection_failed", "severity": "general", "effective_on": inspected_on}
        ],
    }
    problem(await office.client.get(f"/api/v1/credit/public/{credit_code(2)}"), 404)


async def test_regulators_list_their_regions_enterprises_by_grade_and_score(office: Office):
    files = {
        credit_code(1): ["inspection_passed"],  # 100 A
        credit_code(2): ["penalty"],  # 85 B
        credit_code(3): ["serious_penalty"],  # 60, yet D: a serious penalty lists the enterprise
        credit_code(4): ["serious_penalty", "penalty"],  # 45 D, listed too
        credit_code(5): ["inspection_failed"],  # 90 A
    }
    for enterprise, kinds in files.items():
        for kind in kinds:
            await office.entered(enterprise, kind)
    await office.entered(ELSEWHERE, "penalty", as_=office.other_regulator)  # 85 B, Shenzhen

    def codes(items):
        return [(item["credit_code"], item["score"], item["grade"]) for item in items]

    every = await office.listed("/enterprises", limit=2)  # three pages
    assert codes(every) == [
        (credit_code(1), 100, "A"),
        (credit_code(2), 85, "B"),
        (credit_code(3), 60, "D"),
        (credit_code(4), 45, "D"),
        (credit_code(5), 90, "A"),
    ]
    assert codes(await office.listed("/enterprises", grade="A")) == [
        codes(every)[0],
        codes(every)[4],
    ]
    assert codes(await office.listed("/enterprises", grade="B")) == [(credit_code(2), 85, "B")]
    assert codes(await office.listed("/enterprises", grade="D")) == codes(every)[2:4]
    assert codes(await office.listed("/enterprises", listed="true")) == codes(every)[2:4]
    assert len(await office.listed("/enterprises", listed="false")) == 3
    band = await office.listed("/enterprises", score_min=60, score_max=85)
    assert [item["credit_code"] for item in band] == [credit_code(2), credit_code(3)]
    assert len(await office.listed("/enterprises", as_=office.admin)) == 6
    shenzhen = await office.listed("/enterprises", as_=office.other_regulator, grade="B")
    assert codes(shenzhen) == [(ELSEWHERE, 85, "B")]
    problem(
        await office.client.get(
            "/api/v1/credit/enterprises", params={"grade": "E"}, headers=office.regulator
        ),
        422,
    )


async def test_history_and_events_explain_every_change(office: Office, contracts):
    penalty_on = TODAY - timedelta(days=56)
    failed_on = TODAY - timedelta(days=29)
    penalty = await office.entered(ENTERPRISE, "penalty", occurred_on=penalty_on.isoformat())
    failed = await office.entered(
        ENTERPRISE, "inspection_failed", occurred_on=failed_on.isoformat()
    )
    passed = await office.entered(ENTERPRISE, "inspection_passed")

    history = await office.listed(f"/enterprises/{ENTERPRISE}/history", limit=1)

    assert [
        (h["previous_score"], h["score"], h["previous_grade"], h["grade"]) for h in history
    ] == [
        (100, 85, "A", "B"),
        (85, 75, "B", "B"),
        (75, 77, "B", "B"),
    ]
    assert [h["cause"] for h in history] == [f"record:{r['id']}" for r in (penalty, failed, passed)]
    assert [[r["record_id"] for r in h["reasons"]] for h in history] == [
        [penalty["id"]],
        [penalty["id"], failed["id"]],
        [penalty["id"], failed["id"], passed["id"]],
    ]
    events = await office.grade_changes(ENTERPRISE)
    assert [e["data"]["reasons"] for e in events] == [h["reasons"] for h in history]
    last = events[-1]["data"]
    assert (last["previous_grade"], last["grade"], last["previous_score"], last["score"]) == (
        "B",
        "B",
        75,
        77,
    )
    assert (last["region_code"], last["rule_version"], last["assessed_on"]) == (
        "440200",
        load_policy().version,
        TODAY.isoformat(),
    )
    assert last["reasons"][0] == {
        "record_id": penalty["id"],
        "kind": "penalty",
        "severity": "general",
        "points": -15,
        "effective_on": penalty_on.isoformat(),
        "counts_until": (penalty_on + timedelta(days=1095)).isoformat(),
        "public": True,
    }
    for event in events:
        assert (event["subject"], event["source"]) == (ENTERPRISE, "/qgov/credit")
        contracts.check(event)


async def test_every_record_is_announced_before_what_it_does_to_the_grade(
    office: Office, contracts
):
    penalty = await office.entered(ENTERPRISE, "safety_accident", severity="serious")
    inspection = await office.entered(ENTERPRISE, "inspection_passed")

    published = await office.published(credit_code=ENTERPRISE)
    assert [event["type"] for event in published] == [
        RECORD_ADDED,
        GRADE_CHANGED,
        RECORD_ADDED,
        GRADE_CHANGED,
    ]
    added = [event["data"] for event in published if event["type"] == RECORD_ADDED]
    assert added == [
        {
            "credit_code": ENTERPRISE,
            "region_code": "440200",
            "record_id": record["id"],
            "kind": record["kind"],
            "severity": record["severity"],
            "occurred_on": TODAY.isoformat(),
            "public": True,
        }
        for record in (penalty, inspection)
    ]
    for event in published:
        contracts.check(event)


async def test_a_record_expires_on_its_date_and_the_grade_returns(office: Office, contracts):
    expires_on = TODAY + timedelta(days=2)
    occurred_on = expires_on - timedelta(days=1095)
    penalty = await office.entered(ENTERPRISE, "penalty", occurred_on=occurred_on.isoformat())
    [reason] = (await office.file_ok(ENTERPRISE))["reasons"]
    assert reason["counts_until"] == expires_on.isoformat()

    office.clock.today(expires_on - timedelta(days=1))
    assert await office.regrade_due() == 0  # its last day: still counting
    assert (await office.file_ok(ENTERPRISE))["score"] == 85

    office.clock.today(expires_on)
    assert await office.regrade_due() == 1

    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"], shown["reasons"]) == (100, "A", [])
    assert [r["id"] for r in shown["records"]] == [penalty["id"]]  # kept, no longer counting
    assert shown["assessed_on"] == expires_on.isoformat()
    expired = (await office.grade_changes(ENTERPRISE))[-1]
    assert expired["data"]["cause"] == "records_expired_or_took_effect"
    assert (expired["data"]["previous_grade"], expired["data"]["grade"]) == ("B", "A")
    assert (expired["data"]["previous_score"], expired["data"]["score"]) == (85, 100)
    assert expired["data"]["reasons"] == []
    contracts.check(expired)
    office.clock.today(expires_on + timedelta(days=400))
    assert await office.regrade_due() == 0  # nothing left to change


async def test_two_replicas_regrading_at_once_regrade_each_expired_file_once(office: Office, clock):
    expires_on = TODAY + timedelta(days=2)
    occurred_on = (expires_on - timedelta(days=1095)).isoformat()
    codes = [credit_code(serial) for serial in range(1, 31)]
    for code in codes:
        await office.entered(code, "penalty", occurred_on=occurred_on)
    office.clock.today(expires_on)

    async def regrade_all(service: RunningService) -> None:
        ctx = service.app.state.dependencies.context()
        while True:
            async with service.runtime.unit_of_work() as uow:
                regraded = await grading.regrade_due(uow, ctx, limit=4)
                await uow.commit()
            if regraded == 0:
                return

    async with run_replica(office.svc, lambda s: create_app(s, clock=clock)) as pod:
        await asyncio.gather(regrade_all(office.svc), regrade_all(pod))

    expiries = [
        event["subject"]
        for event in await office.grade_changes()
        if event["data"]["cause"] == "records_expired_or_took_effect"
    ]
    assert sorted(expiries) == codes
    assert {(await office.file_ok(code))["score"] for code in codes} == {100}


async def test_a_rebuild_from_the_records_agrees_with_the_stored_grades(office: Office):
    await office.entered(ENTERPRISE, "penalty")
    await office.entered(ENTERPRISE, "inspection_passed")
    await office.entered(credit_code(2), "serious_penalty")  # 60, listed: D
    await office.entered(credit_code(3), "quality_accident", severity="serious")
    before = {
        c: (await office.file_ok(c))["grade"] for c in (ENTERPRISE, credit_code(2), credit_code(3))
    }
    published = len(await office.grade_changes())

    response = await office.client.post("/api/v1/credit/rebuild", headers=office.admin)

    assert response.status_code == 200, response.text
    assert response.json() == {"enterprises": 3, "differing": 0}
    assert {c: (await office.file_ok(c))["grade"] for c in before} == before
    assert before == {
        ENTERPRISE: "B",
        credit_code(2): "D",
        credit_code(3): "C",
    }  # a rebuild keeps the listing
    assert len(await office.grade_changes()) == published


async def test_a_rebuild_under_a_changed_policy_regrades_and_announces(office: Office, contracts):
    await office.entered(ENTERPRISE, "penalty")  # 85 B
    await office.entered(credit_code(2), "inspection_passed")  # 100 A
    deps = office.svc.app.state.dependencies
    policy = deps.policy
    harsher = dataclasses.replace(policy.kinds["penalty"], points={"general": -30})
    # as if the service restarted with the new policy
    office.svc.app.state.dependencies = dataclasses.replace(
        deps,
        policy=dataclasses.replace(
            policy, version="2026.2", kinds={**policy.kinds, "penalty": harsher}
        ),
    )

    response = await office.client.post("/api/v1/credit/rebuild", headers=office.admin)

    assert response.json() == {"enterprises": 2, "differing": 1}
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"], shown["rule_version"]) == (70, "C", "2026.2")
    rebuilt = (await office.grade_changes(ENTERPRISE))[-1]
    assert (rebuilt["data"]["cause"], rebuilt["data"]["previous_grade"]) == ("rebuild", "B")
    contracts.check(rebuilt)


async def test_only_an_admin_rebuilds(office: Office):
    problem(await office.client.post("/api/v1/credit/rebuild", headers=office.regulator), 403)
    problem(await office.client.post("/api/v1/credit/rebuild"), 401)
