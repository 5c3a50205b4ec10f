"""Every official EPCIS 2.0 example (../shared/conformance/epcis/examples) is accepted as it
is and comes back from queries: documents through `POST /epcis/capture`, bare events through
`POST /epcis/events`, and what a query answers is itself a valid EPCISQueryDocument."""

from __future__ import annotations

import json

from qgov_shared.testing.conformance import conformance_path

from .conftest import Desk, examples


async def test_every_official_example_is_captured_and_queried_back(desk: Desk):
    expected: list[str] = []
    for path in examples():
        body = json.loads(path.read_text())
        if body.get("type") in ("EPCISDocument", "EPCISQueryDocument"):
            response = await desk.capture(body)
            assert response.status_code == 202, f"{path.name}: {response.text}"
            job = response.json()
            assert job["success"], f"{path.name}: {job}"
            assert job["errors"] == []
            assert response.headers["location"] == f"/epcis/capture/{job['captureID']}"
            shown = await desk.client.get(response.headers["location"], headers=desk.admin)
            assert shown.json() == job
            body_events = (
                body["epcisBody"].get("eventList")
                or body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            )
        else:
            response = await desk.client.post("/epcis/events", json=body, headers=desk.admin)
            assert response.status_code == 201, f"{path.name}: {response.text}"
            body_events = [body]
        expected += [event.get("eventID") for event in body_events]

    stored = await desk.ids()
    given = {event_id for event_id in expected if event_id}
    assert given <= set(stored)
    hashed = [i for i in stored if i not in given]
    assert all(i.startswith("ni:///sha-256;") and i.endswith("?ver=CBV2.0") for i in hashed)
    assert len(stored) == len(set(stored))


async def test_a_query_answers_a_valid_epcis_query_document(desk: Desk):
    await desk.captured(
        json.loads(
            conformance_path(
                "epcis", "examples", "WithSensorData", "SensorDataExample1.jsonld"
            ).read_text()
        )
    )
    response = await desk.query()
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    answer = response.json()
    schema = desk.svc.app.state.dependencies.schema
    assert schema.document_errors(answer) == []
    [event] = answer["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert schema.event_errors(event) == []
    assert event["sensorElementList"]
    assert event["recordTime"]
