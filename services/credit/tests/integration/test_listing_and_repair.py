"""The serious-violation list (严重违法失信名单) and credit repair (信用修复) through the API: what
lists an enterprise and what that shows; who may apply for repair, when, and for what; what a
regulator's decision does. Every event the service publishes is held to its contract."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from qgov_credit.models import Listing, RepairApplication
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.problems import pointers, problem

from .conftest import GRADE_CHANGED, TODAY, Office, complaint_event

ENTERPRISE = credit_code(1)
LISTED = "qgov.credit.enterprise.listed.v1"
DELISTED = "qgov.credit.enterprise.delisted.v1"
DECIDED = "qgov.credit.repair.decided.v1"
RECORD_ADDED = "qgov.credit.record.added.v1"
FLAGS = ["barred_from_quality_awards", "flagged_in_public_procurement"]
DELISTABLE_ON = TODAY + timedelta(days=365)
PUBLICITY_ENDABLE_ON = TODAY + timedelta(days=180)
CURRENT_LISTING = {
    "listed_on": TODAY.isoformat(),
    "reason": "serious_penalty",
    "earliest_delisting_on": DELISTABLE_ON.isoformat(),
    "delisted_on": None,
    "joint_punishment": FLAGS,
}


async def events(office: Office, contracts, event_type: str | None = None) -> list[dict]:
    """Published events (of a type), oldest first; every one published is checked first."""
    published = await published_events(office.svc.runtime.engine)
    for event in published:
        contracts.check(event)
    return [e for e in published if event_type in (None, e["type"])]


async def apply(
    office: Office, credit_code: str = ENTERPRISE, *, as_=None, **fields: Any
) -> httpx.Response:
    body = {"target": "listing", "pledge": "诚信经营承诺书", "correction": "整改报告", **fields}
    return await office.client.post(
        f"/api/v1/credit/enterprises/{credit_code}/repairs",
        json=body,
        headers=office.enterprise(credit_code) if as_ is None else as_,
    )


async def applied(office: Office, **fields: Any) -> dict[str, Any]:
    response = await apply(office, **fields)
    assert response.status_code == 201, response.text
    return response.json()


async def decide(office: Office, application_id: int, approve: bool, *, as_=None):
    return await office.client.post(
        f"/api/v1/credit/repairs/{application_id}/decision",
        json={"approve": approve, "reason": "整改到位" if approve else "材料不全"},
        headers=office.regulator if as_ is None else as_,
    )


async def public(office: Office, credit_code: str = ENTERPRISE) -> dict[str, Any]:
    response = await office.client.get(f"/api/v1/credit/public/{credit_code}")
    assert response.status_code == 200, response.text
    return response.json()


def listed_codes(items: list[dict]) -> list[str]:
    return [item["credit_code"] for item in items]


async def test_a_serious_penalty_lists_the_enterprise(office: Office, contracts):
    penalty = await office.entered(ENTERPRISE, "serious_penalty")
    await office.entered(credit_code(2), "penalty")

    [listed] = await events(office, contracts, LISTED)
    assert (listed["subject"], listed["source"]) == (ENTERPRISE, "/qgov/credit")
    assert listed["data"] == {
        "credit_code": ENTERPRISE,
        "region_code": "440200",
        "listed_on": TODAY.isoformat(),
        "reason": "serious_penalty",
        "earliest_delisting_on": DELISTABLE_ON.isoformat(),
        "joint_punishment": FLAGS,
    }
    [graded] = await office.grade_changes(ENTERPRISE)  # contract-checked by events() above
    assert (graded["data"]["score"], graded["data"]["grade"]) == (60, "D")  # 60 alone is C
    assert graded["data"]["cause"] == f"record:{penalty['id']}"
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"], shown["listed"]) == (60, "D", True)
    assert shown["listings"] == [CURRENT_LISTING]
    own = await office.file(ENTERPRISE, as_=office.enterprise(ENTERPRISE))
    assert own.json()["listings"] == [CURRENT_LISTING]
    assert (await public(office))["listed"] is True
    assert (await public(office))["listing"] == CURRENT_LISTING
    assert (await public(office, credit_code(2)))["listing"] is None
    assert listed_codes(await office.listed("/enterprises", listed="true")) == [ENTERPRISE]
    assert listed_codes(await office.listed("/enterprises", listed="false")) == [credit_code(2)]


async def test_three_failed_inspections_within_two_years_list_two_do_not(office: Office, contracts):
    days_ago = {
        credit_code(1): [639, 274, 0],  # three in (TODAY - 730 days, TODAY]
        credit_code(2): [730, 274, 0],  # the first exactly 730 days
        credit_code(3): [274, 0],
    }
    for enterprise, ages in days_ago.items():
        for age in ages:
            day = TODAY - timedelta(days=age)
            await office.entered(enterprise, "inspection_failed", occurred_on=day.isoformat())

    [listed] = await events(office, contracts, LISTED)
    assert (listed["subject"], listed["data"]["reason"]) == (
        credit_code(1),
        "repeated_inspection_failed",
    )
    assert listed["data"]["listed_on"] == TODAY.isoformat()  # the third failure's day
    shown = [await office.file_ok(c) for c in days_ago]  # every failure still counts for the score
    assert [(f["score"], f["grade"], f["listed"]) for f in shown] == [
        (70, "D", True),
        (70, "C", False),
        (80, "B", False),
    ]
    assert listed_codes(await office.listed("/enterprises", listed="true")) == [credit_code(1)]


async def test_a_listed_enterprise_is_not_listed_again(office: Office, contracts):
    await office.entered(ENTERPRISE, "serious_penalty")
    await office.entered(ENTERPRISE, "serious_penalty")
    for _ in range(3):
        await office.entered(ENTERPRISE, "inspection_failed")

    assert len(await events(office, contracts, LISTED)) == 1
    assert await office.count(Listing) == 1
    assert (await office.file_ok(ENTERPRISE))["listings"] == [CURRENT_LISTING]


async def test_a_listing_repair_is_due_after_365_days_and_one_at_a_time(office: Office):
    problem(await apply(office), 404)  # no file yet
    await office.entered(ENTERPRISE, "penalty")
    body = problem(await apply(office), 422)  # on file, but not listed
    assert pointers(body) == ["#/target"]
    await office.entered(ENTERPRISE, "serious_penalty")

    for day in (TODAY, DELISTABLE_ON - timedelta(days=1)):
        office.clock.today(day)
        body = problem(await apply(office), 422)
        assert pointers(body) == ["#/target"]
        assert f"from {DELISTABLE_ON.isoformat()}" in body["detail"]
    office.clock.today(DELISTABLE_ON)
    application = await applied(office)

    assert (application["credit_code"], application["target"]) == (ENTERPRISE, "listing")
    assert (application["status"], application["record_id"]) == ("pending", None)
    assert (application["pledge"], application["correction"]) == ("诚信经营承诺书", "整改报告")
    problem(await apply(office), 409)  # one is already waiting
    assert await office.count(RepairApplication) == 1
    pending = await office.listed("/repairs", status="pending")
    assert [a["id"] for a in pending] == [application["id"]]
    assert await office.listed("/repairs", status="approved") == []
    assert await office.listed("/repairs", as_=office.other_regulator) == []


async def test_only_the_enterprise_itself_applies(office: Office):
    await office.entered(ENTERPRISE, "serious_penalty")
    await office.entered(credit_code(2), "serious_penalty")
    office.clock.today(DELISTABLE_ON)

    problem(await apply(office, credit_code(2), as_=office.enterprise(ENTERPRISE)), 404)
    problem(await apply(office, as_=office.regulator), 403)
    problem(await apply(office, as_=office.admin), 403)
    problem(await apply(office, as_={}), 401)
    assert await office.count(RepairApplication) == 0
    problem(await decide(office, 999_999, True), 404)
    repairs = "/api/v1/credit/repairs"
    problem(await office.client.get(repairs, headers=office.enterprise(ENTERPRISE)), 403)


async def test_a_refused_repair_keeps_the_listing(office: Office, contracts):
    await office.entered(ENTERPRISE, "serious_penalty")
    office.clock.today(DELISTABLE_ON)
    application = await applied(office)

    problem(await decide(office, application["id"], True, as_=office.other_regulator), 404)
    problem(await decide(office, application["id"], True, as_=office.enterprise(ENTERPRISE)), 403)
    refused = await decide(office, application["id"], False)

    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["decision_reason"]) == ("refused", "材料不全")
    assert refused.json()["decided_by"] == "regulator:reg-shaoguan"
    [decided] = await events(office, contracts, DECIDED)
    assert decided["data"] == {
        "credit_code": ENTERPRISE,
        "application_id": application["id"],
        "target": "listing",
        "approved": False,
        "decided_on": DELISTABLE_ON.isoformat(),
    }
    assert await events(office, contracts, DELISTED) == []
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["grade"], shown["listed"], shown["listings"]) == ("D", True, [CURRENT_LISTING])
    assert (await public(office))["listing"] == CURRENT_LISTING
    problem(await decide(office, application["id"], True), 409)  # already refused
    await applied(office)  # the enterprise may try again


async def test_an_approved_repair_delists_and_regrades(office: Office, contracts):
    await office.entered(ENTERPRISE, "serious_penalty")  # 60: C once delisted
    office.clock.today(DELISTABLE_ON)
    application = await applied(office)

    approved = await decide(office, application["id"], True)

    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    [delisted] = await events(office, contracts, DELISTED)
    assert delisted["data"] == {
        "credit_code": ENTERPRISE,
        "region_code": "440200",
        "listed_on": TODAY.isoformat(),
        "delisted_on": DELISTABLE_ON.isoformat(),
        "reason": "repair_approved",
    }
    [decided] = await events(office, contracts, DECIDED)
    assert (decided["data"]["target"], decided["data"]["approved"]) == ("listing", True)
    regraded = (await events(office, contracts, GRADE_CHANGED))[-1]["data"]
    assert (regraded["previous_grade"], regraded["grade"]) == ("D", "C")
    assert (regraded["previous_score"], regraded["score"]) == (60, 60)
    assert regraded["cause"] == f"repair:{application['id']}"
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"], shown["listed"]) == (60, "C", False)
    past = {**CURRENT_LISTING, "delisted_on": DELISTABLE_ON.isoformat(), "joint_punishment": []}
    assert shown["listings"] == [past]  # kept in the file
    seen = await public(office)
    assert (seen["listed"], seen["listing"]) == (False, None)  # but no longer public
    assert [r["kind"] for r in seen["records"]] == ["serious_penalty"]  # the record still is
    assert await office.listed("/enterprises", listed="true") == []
    problem(await decide(office, application["id"], True), 409)  # deciding twice
    assert pointers(problem(await apply(office), 422)) == ["#/target"]  # no longer listed
    assert [a["id"] for a in await office.listed("/repairs", status="approved")] == [
        application["id"]
    ]


async def test_a_penalty_publicity_repair_hides_the_penalty_but_it_still_counts(
    office: Office, contracts
):
    penalty = await office.entered(ENTERPRISE, "penalty")
    failed = await office.entered(ENTERPRISE, "inspection_failed")
    elsewhere = await office.entered(credit_code(2), "penalty")
    unpublished = complaint_event(
        subject=ENTERPRISE, outcome="mediation_failed", closed_on=TODAY.isoformat()
    )
    await office.take_in(unpublished)  # a record that is never public
    [hidden] = [r for r in await office.records(ENTERPRISE) if not r.public]
    office.clock.today(PUBLICITY_ENDABLE_ON)

    for record_id in (None, failed["id"], elsewhere["id"], hidden.id, 999_999):
        response = await apply(office, target="penalty_publicity", record_id=record_id)
        assert pointers(problem(response, 422)) == ["#/record_id"], record_id
    office.clock.today(PUBLICITY_ENDABLE_ON - timedelta(days=1))
    early = problem(await apply(office, target="penalty_publicity", record_id=penalty["id"]), 422)
    endable = f"from {PUBLICITY_ENDABLE_ON.isoformat()}"
    assert (pointers(early), endable in early["detail"]) == (["#/target"], True)
    office.clock.today(PUBLICITY_ENDABLE_ON)
    application = await applied(office, target="penalty_publicity", record_id=penalty["id"])
    assert (application["target"], application["record_id"]) == ("penalty_publicity", penalty["id"])
    problem(await apply(office, target="penalty_publicity", record_id=penalty["id"]), 409)
    published = len(await events(office, contracts, GRADE_CHANGED))

    approved = await decide(office, application["id"], True)

    assert approved.status_code == 200, approved.text
    [decided] = await events(office, contracts, DECIDED)
    assert (decided["data"]["target"], decided["data"]["approved"]) == ("penalty_publicity", True)
    assert await events(office, contracts, DELISTED) == []
    assert len(await events(office, contracts, GRADE_CHANGED)) == published
    assert [r["kind"] for r in (await public(office))["records"]] == ["inspection_failed"]
    shown = await office.file_ok(ENTERPRISE)
    assert (shown["score"], shown["grade"]) == (74, "C")  # 100 - 15 - 10 - 1: still counted
    assert penalty["id"] in [r["record_id"] for r in shown["reasons"]]
    [record] = [r for r in shown["records"] if r["id"] == penalty["id"]]
    assert record["public"] is False
    response = await apply(office, target="penalty_publicity", record_id=penalty["id"])
    assert pointers(problem(response, 422)) == ["#/record_id"]  # no longer public


async def test_every_event_is_dated_by_the_services_clock(office: Office, contracts):
    await office.entered(ENTERPRISE, "serious_penalty")
    listed_at = office.clock.now
    office.clock.today(DELISTABLE_ON)
    application = await applied(office)
    await decide(office, application["id"], True)
    delisted_at = office.clock.now

    published = await events(office, contracts)

    assert sorted((e["type"], datetime.fromisoformat(e["time"])) for e in published) == sorted(
        [
            (RECORD_ADDED, listed_at),
            (LISTED, listed_at),
            (GRADE_CHANGED, listed_at),
            (DELISTED, delisted_at),
            (GRADE_CHANGED, delisted_at),
            (DECIDED, delisted_at),
        ]
    )
