"""Each profile is stored as documents, written with whatever changed it and served as stored;
a profile whose documents are missing or of an older layout still answers, and gets them
rebuilt at start."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from qgov_gateway import profile_documents
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack

from .conftest import apply, at, day, grade_changed, read_model_gateway, reason, submission

SHAOGUAN = credit_code(1, "440203")
NEARBY = credit_code(2, "440204")


@pytest.fixture
async def gateway(stack: TestStack, clock: TestClock) -> AsyncIterator[RunningService]:
    async with read_model_gateway(stack, clock) as svc:
        yield svc


async def _sql(gateway: RunningService, statement: str, **values) -> list:
    async with gateway.runtime.session_factory() as session:
        result = await session.execute(text(statement), values)
        rows = list(result) if result.returns_rows else []
        await session.commit()
    return rows


async def _profile(gateway: RunningService, code: str) -> dict:
    response = await gateway.client.get(f"/api/v1/enterprises/{code}/profile")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


async def _some_events(gateway: RunningService, contracts) -> None:
    hidden = reason(2, "mediation_failed", -1, public=False)
    await apply(
        gateway,
        contracts,
        grade_changed(SHAOGUAN, ("A", 100), ("B", 84), at(1), [reason(1, "penalty", -15), hidden]),
        submission(
            "complaint.filed",
            "T20261102ABCDEFGH",
            NEARBY,
            at(2),
            received_on=day(),
            due_on=day(7),
        ),
    )


async def test_the_events_of_a_chunk_store_the_documents_of_each_enterprise_they_touch(
    gateway: RunningService, contracts
) -> None:
    await _some_events(gateway, contracts)
    onboarded = await gateway.client.post(
        "/api/v1/enterprises", json={"credit_code": credit_code(3, "440205"), "name": "韶关某厂"}
    )
    assert onboarded.status_code == 201, onboarded.text
    stored = await _sql(
        gateway,
        "SELECT credit_code, layout, public_view, full_view FROM profile_documents"
        " ORDER BY credit_code",
    )
    assert [(row[0], row[1]) for row in stored] == [
        (code, profile_documents.LAYOUT)
        for code in sorted([SHAOGUAN, NEARBY, credit_code(3, "440205")])
    ]
    shaoguan = next(row for row in stored if row[0] == SHAOGUAN)
    assert [r["record_id"] for r in shaoguan[2]["credit"]["reasons"]] == [1]
    assert [r["record_id"] for r in shaoguan[3]["credit"]["reasons"]] == [1, 2]
    served = await _profile(gateway, SHAOGUAN)
    assert {key: value for key, value in served.items() if key != "sources"} == shaoguan[2]
    assert [source["source"] for source in served["sources"]] == [
        "/qgov/complaints",
        "/qgov/credit",
    ]


async def test_a_profile_is_served_from_its_stored_document(
    gateway: RunningService, contracts
) -> None:
    await _some_events(gateway, contracts)
    await _sql(
        gateway,
        "UPDATE profile_documents SET public_view = jsonb_set(public_view, '{name}', '\"存档\"')"
        " WHERE credit_code = :code",
        code=SHAOGUAN,
    )
    assert (await _profile(gateway, SHAOGUAN))["name"] == "存档"


async def test_profiles_without_current_documents_answer_and_are_rebuilt_at_start(
    gateway: RunningService, contracts
) -> None:
    await _some_events(gateway, contracts)
    expected = {code: await _profile(gateway, code) for code in (SHAOGUAN, NEARBY)}
    await _sql(gateway, "DELETE FROM profile_documents WHERE credit_code = :code", code=SHAOGUAN)
    await _sql(
        gateway,
        "UPDATE profile_documents SET layout = :old, public_view = '{}' WHERE credit_code = :code",
        old=profile_documents.LAYOUT - 1,
        code=NEARBY,
    )
    assert await _profile(gateway, SHAOGUAN) == expected[SHAOGUAN]  # built as it is read

    assert await profile_documents.rebuild_stale(gateway.runtime.unit_of_work) == 2
    assert {code: await _profile(gateway, code) for code in expected} == expected
    assert await profile_documents.rebuild_stale(gateway.runtime.unit_of_work) == 0
    layouts = await _sql(gateway, "SELECT DISTINCT layout FROM profile_documents")
    assert layouts == [(profile_documents.LAYOUT,)]
