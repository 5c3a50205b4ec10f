"""Capture: the same event captured twice is stored once (by its hash when it has no
eventID), a document with one bad event is rolled back or captured in part as
GS1-Capture-Error-Behaviour asks, limits are advertised and kept, an enterprise captures only
events that concern it, and error declarations mark the events they correct."""

from __future__ import annotations

import copy

from qgov_shared.testing.problems import problem
from qgov_traceability.epcis.identifiers import canonical

from .conftest import Desk, document, example, object_event, open_desk
from .supply_chain import ITEMS, PALLET, at, capture_chain

FIRST = object_event(at(1), [ITEMS[0]], bizStep="inspecting")
SECOND = object_event(at(2), [ITEMS[1]], bizStep="inspecting")
BAD = object_event(at(3), [ITEMS[2]], action="SELL")  # no such action


async def test_the_same_event_captured_twice_is_stored_once(desk: Desk):
    first = await desk.captured(document(FIRST))
    again = await desk.captured(document(copy.deepcopy(FIRST), SECOND))

    assert (first["capturedCount"], again["capturedCount"]) == (1, 1)
    stored = await desk.ids()
    assert len(stored) == 2
    assert all(i.startswith("ni:///sha-256;") for i in stored)
    reordered = dict(reversed(list(FIRST.items())))  # the same event written otherwise
    assert (await desk.captured(document(reordered)))["capturedCount"] == 0


async def test_rollback_stores_nothing_and_names_the_bad_event(desk: Desk):
    response = await desk.capture(document(FIRST, BAD, SECOND))

    assert response.status_code == 202
    job = response.json()
    assert (job["success"], job["capturedCount"], job["eventCount"]) == (False, 0, 3)
    assert job["captureErrorBehaviour"] == "rollback"
    [error] = job["errors"]
    assert error["index"] == 1
    assert "action" in error["detail"]
    assert await desk.ids() == []


async def test_proceed_stores_the_valid_events(desk: Desk):
    worse = object_event(at(4), ["urn:epc:id:sgtin:6901234.0222.1"])  # a malformed EPC
    response = await desk.capture(document(FIRST, BAD, SECOND, worse), behaviour="proceed")

    job = response.json()
    assert (job["success"], job["capturedCount"]) == (False, 2)
    assert [e["index"] for e in job["errors"]] == [1, 3]
    assert len(await desk.ids()) == 2


async def test_all_reports_every_bad_event_and_stores_none(desk: Desk):
    response = await desk.capture(document(BAD, FIRST, copy.deepcopy(BAD)), behaviour="all")

    job = response.json()
    assert (job["success"], job["capturedCount"]) == (False, 0)
    assert [e["index"] for e in job["errors"]] == [0, 2]
    assert await desk.ids() == []
    problem(await desk.capture(document(FIRST), behaviour="sometimes"), 422)


async def test_capture_limits_are_advertised_and_kept(stack, clock):
    async with open_desk(stack, clock, capture_limit=2) as desk:
        response = await desk.capture(document(FIRST))
        assert response.headers["GS1-EPCIS-Capture-Limit"] == "2"
        assert int(response.headers["GS1-EPCIS-Capture-File-Size-Limit"]) == 16 * 1024 * 1024
        too_many = problem(await desk.capture(document(FIRST, SECOND, BAD)), 413)
        assert too_many["type"] == "epcisException:CaptureLimitExceededException"
        not_a_document = problem(await desk.capture({"type": "EPCISDocument"}), 400)
        assert not_a_document["type"] == "epcisException:ValidationException"


async def test_an_enterprise_captures_only_events_that_concern_it(desk: Desk):
    await desk.register_parties()
    foreign = object_event(at(1), ["urn:epc:id:sgtin:4012345.011111.1"])

    job = (await desk.capture(document(FIRST, foreign), as_=desk.producer)).json()
    assert job["success"] is False
    assert job["errors"][0]["detail"] == "the event names nothing under your GS1 company prefixes"
    assert (await desk.capture(document(FIRST), as_=desk.outsider)).json()["success"] is False
    assert (await desk.captured(document(FIRST), as_=desk.producer))["capturedCount"] == 1
    problem(await desk.capture(document(FIRST), as_=desk.regulator), 403)
    problem(await desk.client.post("/epcis/capture", json=document(FIRST)), 401)


async def test_a_capture_job_is_its_capturers(desk: Desk):
    await desk.register_parties()
    job = await desk.captured(document(FIRST), as_=desk.producer)
    path = f"/epcis/capture/{job['captureID']}"

    assert (await desk.client.get(path, headers=desk.producer)).json() == job
    problem(await desk.client.get(path, headers=desk.retailer), 404)
    assert (await desk.client.get(path, headers=desk.admin)).status_code == 200
    mine = await desk.client.get("/epcis/capture", headers=desk.producer)
    assert [j["captureID"] for j in mine.json()["items"]] == [job["captureID"]]
    theirs = await desk.client.get("/epcis/capture", headers=desk.retailer)
    assert theirs.json()["items"] == []


async def test_one_event_is_captured_at_once(desk: Desk):
    event = {**example("schema-tests/ObjectEvent.json")}
    response = await desk.client.post("/epcis/events", json=event, headers=desk.admin)

    assert response.status_code == 201
    event_id = response.json()["eventID"]
    shown = await desk.client.get(response.headers["location"], headers=desk.admin)
    assert shown.status_code == 200
    [back] = shown.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert back["eventID"] == event_id
    refused = problem(
        await desk.client.post("/epcis/events", json={"type": "ObjectEvent"}, headers=desk.admin),
        400,
    )
    assert refused["type"] == "epcisException:ValidationException"


async def test_an_error_declaration_marks_the_event_and_takes_it_out_of_traces(desk: Desk):
    await capture_chain(desk)
    [shipping] = await desk.events(EQ_bizStep="shipping", MATCH_epc=PALLET, LT_eventTime=at(6))
    declaration = {
        **{k: v for k, v in shipping.items() if k not in ("eventID", "recordTime")},
        "errorDeclaration": {
            "declarationTime": at(20),
            "reason": "incorrect_data",
            "correctiveEventIDs": ["urn:uuid:2b5e6e4e-2d1c-4c4b-9d3e-7b9c0c1d2e3f"],
        },
    }

    job = await desk.captured(document(declaration))

    assert job["capturedCount"] == 0  # the declaration has the event's own hash: not a new one
    [declared] = await desk.events(EXISTS_errorDeclaration="")
    assert declared["eventID"] == shipping["eventID"]
    assert declared["errorDeclaration"]["reason"] == "incorrect_data"
    assert shipping["eventID"] in await desk.ids(EQ_errorReason="incorrect_data")
    corrective = "urn:uuid:2b5e6e4e-2d1c-4c4b-9d3e-7b9c0c1d2e3f"
    assert await desk.ids(EQ_correctiveEventID=corrective) == [shipping["eventID"]]
    remaining = await desk.ids(includeCorrectedEvents="false")
    assert shipping["eventID"] not in remaining
    assert len(remaining) == len(await desk.ids()) - 1
    traced = await desk.client.get(
        "/api/v1/traceability/trace",
        params={"identifier": PALLET, "until": at(6)},
        headers=desk.admin,
    )
    assert not [e for e in traced.json()["edges"] if e["kind"] == "destination"]
    assert canonical(PALLET) in {n["id"] for n in traced.json()["nodes"]}
