"""The standards service's facts reach credit files: a regulator's check of a self-declared
standard becomes a spot-check record (failed when non-compliant or the standard not executed,
passed when compliant), a new frontrunner title counts as an honour, and the grade moves with
them. Both services run, on one namespace."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from qgov_credit.models import IntakeEntry
from qgov_credit.policy import load_policy
from qgov_shared.auth import Principal, Role
from qgov_shared.kafka import ensure_topics
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer
from qgov_standards import SERVICE as STANDARDS
from qgov_standards.handlers.ranking import rank_due
from qgov_standards.main import StandardsSettings
from qgov_standards.main import create_app as create_standards_app

from .conftest import KEYS, TODAY, Office, listening_office

CODE = credit_code(61)
CHECK = "qgov.standards.standard.check_recorded.v1"
DECLARATIONS = "/api/v1/standards/declarations"
REGULATOR = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))


async def test_checks_and_frontrunner_titles_become_records_that_move_the_grade(
    stack: TestStack, clock: TestClock, contracts
):
    async with run_service(
        stack,
        STANDARDS,
        lambda settings: create_standards_app(settings, clock=clock),
        StandardsSettings,
        run_consumers=False,
        run_periodic_work=False,
    ) as standards:
        standards.app.state.token_verifier = KEYS.verifier()
        prefix = standards.settings.kafka_topic_prefix
        await ensure_topics(standards.settings, [prefix + "qgov.standards"])
        async with listening_office(stack, clock, prefix) as office:
            declaration_id = await _declare(standards)
            await _check(standards, declaration_id, "non_compliant", findings=["铅超出声明值"])
            await _check(standards, declaration_id, "not_executed", findings=["未按声明标准生产"])
            await _named_frontrunner(standards)

            async def recorded() -> bool:
                return len(await office.records(CODE)) == 3

            await wait_for(recorded, within=30, what="three standards facts in the credit file")
            shown = await office.file_ok(CODE)
            declared_logged = await _logged(office, "qgov.standards.standard.declared.v1")
            changes = await office.grade_changes(CODE)

    assert [(r["kind"], r["points"]) for r in shown["reasons"]] == [
        ("spot_check_failed", -8),
        ("spot_check_failed", -8),
        ("award_granted", 5),
    ]
    assert (shown["score"], shown["grade"]) == (89, "B")
    [checked_on] = {r["effective_on"] for r in shown["reasons"][:2]}
    assert checked_on == (TODAY - timedelta(days=1)).isoformat()
    assert declared_logged == ["no_rule"]  # announced, and logged, but no record
    assert [c["data"]["grade"] for c in changes] == ["A", "B", "B"]
    for event in changes:
        contracts.check(event)


def test_a_check_from_an_inspection_is_not_counted_twice():
    policy = load_policy()

    for outcome in ("compliant", "non_compliant", "not_executed"):
        assert policy.intake_for(CHECK, {"outcome": outcome, "source": "inspection"}) is None
        assert policy.intake_for(CHECK, {"outcome": outcome, "source": "regulator"}) is not None


async def _declare(standards: RunningService) -> int:
    enterprise = bearer(KEYS.mint("enterprise", sub="ent-61", credit_code=CODE))
    body = {
        "enterprise_name": "韶关市乳品有限公司",
        "product_name": "全脂乳粉",
        "category": "milk_powder",
        "standards": [{"number": "GB 19644-2010", "title": "食品安全国家标准 乳粉"}],
        "indicators": [
            {"name": "蛋白质", "unit": "g/100g", "direction": "higher_better", "value": "20"}
        ],
    }
    response = await standards.client.post(DECLARATIONS, json=body, headers=enterprise)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _check(standards: RunningService, declaration_id: int, outcome: str, **fields) -> None:
    body = {"outcome": outcome, "checked_on": (TODAY - timedelta(days=1)).isoformat(), **fields}
    response = await standards.client.post(
        f"{DECLARATIONS}/{declaration_id}/checks", json=body, headers=REGULATOR
    )
    assert response.status_code == 201, response.text


async def _named_frontrunner(standards: RunningService) -> None:
    plan = {
        "indicators": [
            {"name": "蛋白质", "unit": "g/100g", "direction": "higher_better", "weight": "1"}
        ],
        "top_n": 1,
        "missing": "exclude",
    }
    response = await standards.client.put(
        "/api/v1/standards/plans/milk_powder", json=plan, headers=REGULATOR
    )
    assert response.status_code == 201, response.text
    ranker = standards.app.state.dependencies.context(Principal("test-ranker", Role.ADMIN))
    async with standards.runtime.unit_of_work() as uow:
        assert await rank_due(uow, ranker) == 1
        await uow.commit()


async def _logged(office: Office, event_type: str) -> list[str]:
    query = select(IntakeEntry.outcome).where(IntakeEntry.event_type == event_type)
    async with office.svc.runtime.session_factory() as session:
        return list(await session.scalars(query))
