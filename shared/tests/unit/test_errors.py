"""Domain refusals, and a database out of reach, become the same problem documents in every
service."""

from __future__ import annotations

import asyncpg
import httpx
from fastapi import FastAPI

from qgov_shared.devstack.embedded import free_port
from qgov_shared.errors import NotFound, RuleViolation
from qgov_shared.http.problems import (
    DATABASE_RETRY_AFTER_S,
    PROBLEM_JSON,
    install_problem_handlers,
)


class ThingNotFound(NotFound):
    what = "thing"


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/bad-value")
    async def bad_value() -> None:
        raise RuleViolation("the check character is wrong", "respondent.credit_code")

    @app.get("/bad-step")
    async def bad_step() -> None:
        raise RuleViolation("cannot close a complaint that is submitted")

    @app.get("/missing")
    async def missing() -> None:
        raise ThingNotFound("42")

    return app


async def test_rule_violations_and_missing_things_are_problems() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        value, step, missing = [
            await client.get(path) for path in ("/bad-value", "/bad-step", "/missing")
        ]

    assert value.status_code == 422
    assert value.headers["content-type"] == PROBLEM_JSON
    assert value.json()["errors"] == [
        {"pointer": "#/respondent/credit_code", "detail": "the check character is wrong"}
    ]
    assert step.status_code == 409
    assert step.json()["detail"] == "cannot close a complaint that is submitted"
    assert "errors" not in step.json()
    assert missing.status_code == 404
    assert missing.json()["detail"] == "No such thing."


async def test_an_unreachable_database_is_a_503_the_client_may_retry() -> None:
    app = FastAPI()
    install_problem_handlers(app)
    nothing_listens = free_port()

    @app.get("/records")
    async def records() -> None:
        await asyncpg.connect(f"postgresql://qgov@127.0.0.1:{nothing_listens}/qgov", timeout=2)

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answer = await client.get("/records")

    assert answer.status_code == 503
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.headers["retry-after"] == str(DATABASE_RETRY_AFTER_S)
    assert "database" in answer.json()["detail"]
