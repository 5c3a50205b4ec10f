"""The HTTP conventions every QGov service shares, checked against the running demo service:
problem details, request ids, body rules, Idempotency-Key, keyset pages and health probes."""

import asyncio
import json
import re
import uuid
from http import HTTPStatus

import pytest
from sqlalchemy import text

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.auth import Role
from qgov_shared.devstack.embedded import free_port
from qgov_shared.http.pagination import encode_cursor
from qgov_shared.testing.stack import RunningService, run_service, wait_for
from qgov_shared.testing.tokens import TestKeys

PINGS = "/api/v1/demo/pings"
CODE = "91350100M000100Y43"
OTHER_CODE = "91110000802100433B"
MAX_BODY = 1024
KEYS = TestKeys()


@pytest.fixture(scope="module")
async def demo(stack):
    """One demo service for the module; tests tell their pings apart by a unique message."""
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, max_body_bytes=MAX_BODY
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield svc


def _message() -> str:
    return f"ping {uuid.uuid4().hex}"


def _post(svc: RunningService, message: str, code: str = CODE, **headers: str):
    headers = {name.replace("_", "-"): value for name, value in headers.items()}
    return svc.client.post(PINGS, json={"credit_code": code, "message": message}, headers=headers)


async def _scalar(svc: RunningService, sql: str, **params):
    async with svc.runtime.engine.connect() as connection:
        return await connection.scalar(text(sql), params)


async def _pings_with(svc: RunningService, message: str) -> int:
    return await _scalar(svc, "SELECT count(*) FROM pings WHERE message = :m", m=message)


async def _outbox_rows_with(svc: RunningService, message: str) -> int:
    sql = "SELECT count(*) FROM outbox_events WHERE (payload::jsonb)->'data'->>'message' = :m"
    return await _scalar(svc, sql, m=message)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == HTTPStatus(status).phrase
    assert body["status"] == status
    return body


async def test_an_unknown_path_is_a_404_problem(demo):
    body = _problem(await demo.client.get("/api/v1/demo/nothing-here"), 404)
    assert body["instance"] == "/api/v1/demo/nothing-here"


async def test_an_unsupported_method_is_a_405_problem(demo):
    response = await demo.client.delete(PINGS)
    _problem(response, 405)
    assert response.headers["allow"]


async def test_an_invalid_credit_code_is_a_422_naming_the_field(demo):
    message = _message()
    response = await _post(demo, message, code=CODE[:-1] + "0")
    body = _problem(response, 422)
    assert [error["pointer"] for error in body["errors"]] == ["#/credit_code"]
    assert await _pings_with(demo, message) == 0


async def test_a_missing_field_is_a_422_naming_the_field(demo):
    body = _problem(await demo.client.post(PINGS, json={"credit_code": CODE}), 422)
    assert body["errors"] == [{"pointer": "#/message", "detail": "Field required"}]


async def test_a_bad_path_parameter_is_a_422_naming_the_parameter(demo):
    body = _problem(await demo.client.get("/api/v1/demo/receipts/not-a-code"), 422)
    assert [(e["parameter"], e["in"]) for e in body["errors"]] == [("credit_code", "path")]


async def test_limit_zero_is_a_422_naming_the_limit_parameter(demo):
    body = _problem(await demo.client.get(PINGS, params={"limit": 0}), 422)
    assert [(e["parameter"], e["in"]) for e in body["errors"]] == [("limit", "query")]


@pytest.mark.parametrize("cursor", ["garbage!", encode_cursor(["abc"]), encode_cursor([1, 2])])
async def test_a_cursor_the_api_did_not_issue_is_a_422(demo, cursor):
    body = _problem(await demo.client.get(PINGS, params={"cursor": cursor}), 422)
    assert body["errors"] == [{"parameter": "cursor", "in": "query", "detail": "unknown cursor"}]


async def test_a_declared_body_over_the_limit_is_a_413(demo):
    message = _message()
    body = json.dumps({"credit_code": CODE, "message": message, "pad": "x" * MAX_BODY}).encode()
    response = await demo.client.post(
        PINGS, content=body, headers={"content-type": "application/json"}
    )
    assert int(response.request.headers["content-length"]) > MAX_BODY
    _problem(response, 413)
    assert await _pings_with(demo, message) == 0


async def test_a_streamed_body_over_the_limit_is_a_413(demo):
    message = _message()

    async def chunks():
        yield json.dumps({"credit_code": CODE, "message": message})[:-1].encode()
        for _ in range(MAX_BODY // 100 + 1):
            yield b', "pad": "' + b"x" * 100 + b'"'
        yield b"}"

    response = await demo.client.post(
        PINGS, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.request.headers
    _problem(response, 413)
    assert await _pings_with(demo, message) == 0


@pytest.mark.parametrize("content_type", ["text/plain", None])
async def test_a_body_that_is_not_json_is_a_415(demo, content_type):
    message = _message()
    headers = {"content-type": content_type} if content_type else {}
    body = json.dumps({"credit_code": CODE, "message": message})
    response = await demo.client.post(PINGS, content=body, headers=headers)
    _problem(response, 415)
    assert response.headers["accept-post"] == "application/json"
    assert await _pings_with(demo, message) == 0


async def test_json_with_a_charset_is_accepted(demo):
    body = json.dumps({"credit_code": CODE, "message": "字符集"}).encode()
    headers = {"content-type": "application/json; charset=utf-8"}
    response = await demo.client.post(PINGS, content=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["message"] == "字符集"


async def test_a_request_id_is_generated_when_absent(demo):
    first, second = await demo.client.get("/healthz"), await demo.client.get("/nothing")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", second.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_safe_request_id_is_echoed(demo):
    rid = f"gw-{uuid.uuid4()}:1.a_b"
    response = await demo.client.get("/api/v1/demo/nothing", headers={"X-Request-ID": rid})
    assert response.headers["x-request-id"] == rid


@pytest.mark.parametrize("unsafe", ["two words", "<script>", "a" * 129, "ünï"])
async def test_an_unsafe_request_id_is_replaced(demo, unsafe):
    response = await demo.client.get("/healthz", headers={"X-Request-ID": unsafe.encode()})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


async def test_a_retry_with_the_same_key_replays_the_first_answer(demo):
    message, key = _message(), str(uuid.uuid4())
    first = await _post(demo, message, Idempotency_Key=key)
    again = await _post(demo, message, Idempotency_Key=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert await _pings_with(demo, message) == 1
    assert await _outbox_rows_with(demo, message) == 1


async def test_the_same_key_with_another_body_is_a_409(demo):
    key, message, other = str(uuid.uuid4()), _message(), _message()
    assert (await _post(demo, message, Idempotency_Key=key)).status_code == 201
    reused = await _post(demo, other, Idempotency_Key=key)
    body = _problem(reused, 409)
    assert body["errors"][0]["header"] == "Idempotency-Key"
    assert await _pings_with(demo, other) == 0
    assert await _pings_with(demo, message) == 1


@pytest.mark.parametrize("key", ["", "has space", "k" * 201, "tab\tkey"])
async def test_a_malformed_key_is_a_400(demo, key):
    message = _message()
    _problem(await _post(demo, message, Idempotency_Key=key), 400)
    assert await _pings_with(demo, message) == 0


async def test_keys_are_scoped_to_the_verified_caller(demo):
    message, key = _message(), str(uuid.uuid4())
    for client_id in ("alice", "bob"):
        token = KEYS.mint(Role.CITIZEN, sub=client_id)
        response = await _post(demo, message, Idempotency_Key=key, Authorization=f"Bearer {token}")
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
    assert await _pings_with(demo, message) == 2


async def test_a_retry_with_a_refreshed_token_is_still_the_same_request(demo):
    message, key = _message(), str(uuid.uuid4())
    first, refreshed = (KEYS.mint(Role.CITIZEN, sub="carol", jti=str(n)) for n in range(2))
    assert first != refreshed
    for token in (first, refreshed):
        response = await _post(demo, message, Idempotency_Key=key, Authorization=f"Bearer {token}")
        assert response.status_code == 201
    assert response.headers["idempotent-replayed"] == "true"
    assert await _pings_with(demo, message) == 1


async def test_concurrent_requests_with_one_key_store_one_ping(demo):
    message, key = _message(), str(uuid.uuid4())
    answers = await asyncio.gather(
        *(_post(demo, message, OTHER_CODE, Idempotency_Key=key) for _ in range(5))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 4
    assert await _pings_with(demo, message) == 1
    assert await _outbox_rows_with(demo, message) == 1


async def test_committed_pings_are_published_from_the_outbox(demo):
    message = _message()
    assert (await _post(demo, message)).status_code == 201
    sql = (
        "SELECT count(*) FROM outbox_events WHERE published_at IS NOT NULL"
        " AND (payload::jsonb)->'data'->>'message' = :m"
    )

    async def published() -> bool:
        return await _scalar(demo, sql, m=message) == 1

    await wait_for(published, within=20, what="the outbox row to be published")


async def _pages(svc: RunningService, limit: int) -> list[dict]:
    pages, cursor = [], None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await svc.client.get(PINGS, params=params)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        cursor = pages[-1]["next_cursor"]
        if cursor is None:
            return pages


async def test_pages_walk_every_ping_once_in_id_order(stack):
    async with run_service(stack, SERVICE, create_app, DemoSettings) as svc:
        assert (await svc.client.get(PINGS)).json() == {"items": [], "next_cursor": None}
        created = [(await _post(svc, f"p{i}")).json() for i in range(7)]
        pages = await _pages(svc, limit=3)
    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert all(page["next_cursor"] for page in pages[:-1])
    ids = [item["id"] for page in pages for item in page["items"]]
    assert ids == sorted(set(ids))
    assert ids == [ping["id"] for ping in created]


async def test_a_ping_added_between_pages_appears_on_a_later_page(stack):
    async with run_service(stack, SERVICE, create_app, DemoSettings) as svc:
        for i in range(4):
            await _post(svc, f"p{i}")
        first = (await svc.client.get(PINGS, params={"limit": 3})).json()
        late = (await _post(svc, "late")).json()
        rest = await svc.client.get(PINGS, params={"limit": 3, "cursor": first["next_cursor"]})
    seen = [item["id"] for item in first["items"] + rest.json()["items"]]
    assert rest.json()["next_cursor"] is None
    assert seen == sorted(set(seen))
    assert seen[-1] == late["id"]
    assert len(seen) == 5


async def test_healthz_answers(demo):
    response = await demo.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "demo"}


async def test_readyz_reports_every_check_ok(demo):
    answers = []

    async def ready() -> bool:
        answers.append(await demo.client.get("/readyz"))
        return answers[-1].status_code == 200 and answers[-1].json()["status"] == "ready"

    await wait_for(ready, within=20, what="/readyz to answer 200, ready")
    body = answers[-1].json()
    assert body["checks"] == {"database": "ok", "broker": "ok"}
    assert body["degraded"] == []


async def test_without_a_broker_the_service_stays_ready_degraded_and_keeps_writes(stack):
    """Readiness is the database: writes go to the outbox and wait there for the broker, so a
    broker outage must not take every replica out of service."""
    closed = f"127.0.0.1:{free_port()}"
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, kafka_bootstrap_servers=closed
    ) as svc:
        readyz = await svc.client.get("/readyz")
        assert readyz.status_code == 200
        assert readyz.headers["content-type"] == "application/json"
        assert readyz.json()["status"] == "degraded"
        assert readyz.json()["degraded"] == ["broker"]
        assert readyz.json()["checks"]["database"] == "ok"
        assert readyz.json()["checks"]["broker"].startswith("unavailable")
        assert (await svc.client.get("/healthz")).status_code == 200

        response = await _post(svc, _message())
        assert response.status_code == 201, response.text
        async with svc.runtime.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT topic, partition_key, published_at FROM outbox_events")
                )
            ).all()
    assert len(rows) == 1
    assert rows[0].topic == svc.settings.kafka_topic_prefix + "qgov.demo"
    assert rows[0].partition_key == CODE
    assert rows[0].published_at is None


async def test_without_its_database_the_service_is_alive_and_not_ready(stack):
    """Liveness is the process: a replica whose database is gone is left running, not ready."""
    closed = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/postgres"
    async with run_service(stack, SERVICE, create_app, DemoSettings, database_url=closed) as svc:
        readyz = await svc.client.get("/readyz")
        assert readyz.status_code == 503
        assert readyz.json()["status"] == "not ready"
        assert readyz.json()["checks"]["database"].startswith("unavailable")
        assert "database" in readyz.json()["degraded"]
        assert (await svc.client.get("/healthz")).status_code == 200
