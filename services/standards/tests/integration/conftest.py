"""The standards service on the real PostgreSQL and broker, with a clock the tests move.

Each test gets a fresh service and database (`registry`), with its consumers and its ranker
waiting (tests rank with `Registry.rank`), so the tables and the outbox hold only what the test
did. Every date is relative to `TODAY`, the China Standard Time day of the shared clock's
start. Test modules import the builders with `from .conftest import`.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from qgov_shared.auth import Principal, Role
from qgov_shared.testing.clock import CHINA, START, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer
from qgov_standards import SERVICE
from qgov_standards.handlers.ranking import rank_due
from qgov_standards.main import StandardsSettings, create_app

KEYS = TestKeys()
TODAY = START.astimezone(CHINA).date()
LAST_YEAR = TODAY - timedelta(days=365)
CODE = credit_code(1)  # registered in 440200, the regulator's region
OTHER_CODE = credit_code(2)
FAR_CODE = credit_code(3, "440300")  # another prefecture's
DECLARATIONS = "/api/v1/standards/declarations"
CATALOGUE = "/api/v1/standards/catalogue"
LEAD = "铅（以Pb计）"


def declaration_body(**changes: Any) -> dict[str, Any]:
    """A valid declaration of milk powder executing an enterprise standard; `changes` replace
    top-level fields."""
    body: dict[str, Any] = {
        "enterprise_name": "韶关市乳品有限公司",
        "product_name": "全脂乳粉",
        "category": "milk_powder",
        "standards": [
            {"number": "Q/SGRP 0001S-2025", "title": "全脂乳粉企业标准"},
            {"number": "GB 19644-2010", "title": "食品安全国家标准 乳粉"},
        ],
        "indicators": [
            indicator(LEAD, "0.3"),
            indicator("蛋白质", "20", unit="g/100g", direction="higher_better"),
        ],
    }
    return {**copy.deepcopy(body), **changes}


def indicator(
    name: str,
    value: str | None = None,
    *,
    unit: str = "mg/kg",
    direction: str = "lower_better",
    **fields: Any,
) -> dict[str, Any]:
    given = {"value": value} if value is not None else {}
    return {"name": name, "unit": unit, "direction": direction, **given, **fields}


def limit(name: str, value: str, *, categories: tuple[str, ...] = ("milk_powder",), **fields):
    return {**indicator(name, value, **fields), "categories": list(categories)}


def standard_body(number: str, *limits: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "number": number,
        "title": "食品安全国家标准 食品中污染物限量",
        "effective_on": LAST_YEAR.isoformat(),
        "limits": list(limits),
    }
    return {**body, **changes}


class Registry:
    """One running standards service, its clock, and callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock) -> None:
        self.svc, self.clock, self.client = svc, clock, svc.client
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
        self.other_regulator = bearer(
            KEYS.mint("regulator", sub="reg-shenzhen", regions=["440300"])
        )
        self.admin = bearer(KEYS.mint("admin", sub="admin-1"))

    @staticmethod
    def enterprise(code: str = CODE) -> dict[str, str]:
        return bearer(KEYS.mint("enterprise", sub=f"ent-{code}", credit_code=code))

    async def declare(
        self, body: dict[str, Any] | None = None, *, code: str = CODE, **changes: Any
    ) -> httpx.Response:
        return await self.client.post(
            DECLARATIONS,
            json=body or declaration_body(**changes),
            headers=self.enterprise(code),
        )

    async def declared(self, body: dict | None = None, *, code: str = CODE, **changes) -> dict:
        response = await self.declare(body, code=code, **changes)
        assert response.status_code == 201, response.text
        return response.json()

    async def revise(self, declaration_id: int, body: dict, *, code: str = CODE):
        return await self.client.post(
            f"{DECLARATIONS}/{declaration_id}/versions", json=body, headers=self.enterprise(code)
        )

    async def show(self, declaration_id: int) -> dict:
        response = await self.client.get(f"{DECLARATIONS}/{declaration_id}")
        assert response.status_code == 200, response.text
        return response.json()

    async def add_standard(self, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.client.post(CATALOGUE, json=body, headers=self.regulator)
        assert response.status_code == 201, response.text
        return response.json()

    async def listed(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list, following the cursor to the end."""
        items: list[dict] = []
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = await self.client.get(path, params=query)
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                return items

    async def events(self, action: str | None = None) -> list[dict[str, Any]]:
        """Outbox events, oldest first; with `action` ("standard.flagged"), only those."""
        events = await published_events(self.svc.runtime.engine)
        if action is None:
            return events
        return [e for e in events if e["type"] == f"qgov.standards.{action}.v1"]

    async def rank(self) -> int:
        """One run of the ranker at the clock's time."""
        ranker = Principal(subject="test-ranker", role=Role.ADMIN)
        async with self.svc.runtime.unit_of_work() as uow:
            ranked = await rank_due(uow, self.svc.app.state.dependencies.context(ranker))
            await uow.commit()
        return ranked


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def open_registry(
    stack: TestStack, clock: TestClock, **overrides: Any
) -> AsyncIterator[Registry]:
    settings = {"run_consumers": False, "run_periodic_work": False, **overrides}
    async with run_service(
        stack,
        SERVICE,
        lambda settings: create_app(settings, clock=clock),
        StandardsSettings,
        **settings,
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Registry(svc, clock)


@pytest.fixture
async def registry(stack: TestStack, clock: TestClock) -> AsyncIterator[Registry]:
    async with open_registry(stack, clock) as opened:
        yield opened
