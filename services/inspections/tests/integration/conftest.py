"""The inspections service on the real PostgreSQL and broker, with a clock the tests move.

Each test gets a fresh service and database (`bureau`) with its consumers and finaliser
waiting (tests finalise with `Bureau.finalise` and feed the directory with `Bureau.apply`), so
the tables and the outbox hold only what the test did. Every date is relative to `TODAY`, the
China Standard Time day of the shared clock's start. Test modules import the helpers with
`from .conftest import`.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from qgov_inspections import SERVICE
from qgov_inspections.draw import commitment
from qgov_inspections.handlers.directory import apply_directory_events
from qgov_inspections.main import InspectionsSettings, create_app, finalise
from qgov_shared.auth import Principal, Role
from qgov_shared.envelope import CloudEvent, new_event
from qgov_shared.testing.clock import CHINA, START, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

KEYS = TestKeys()
TODAY = START.astimezone(CHINA).date()
API = "/api/v1/inspections"
REGION = "440200"  # the regulator's prefecture (韶关)


def codes(count: int, start: int = 1, region: str = "440203") -> list[str]:
    return [credit_code(serial, region) for serial in range(start, start + count)]


def sample_body(team: list[int], **changes: Any) -> dict[str, Any]:
    body = {
        "product_name": "儿童益智积木",
        "lot": "20261020",
        "quantity": "12 盒（检验 6，备样 6）",
        "place": "成品仓库",
        "sampled_at": START.isoformat(),
        "inspectors": team[:2],
        "standard_numbers": ["GB 6675.1-2014", "GB 6675.2-2014"],
    }
    return {**body, **changes}


def failed_result(**changes: Any) -> dict[str, Any]:
    body = {
        "outcome": "failed",
        "failing_indicators": [
            {"name": "可迁移元素 铅", "measured": "120", "unit": "mg/kg", "required": "≤ 90 mg/kg"}
        ],
        "findings": ["可迁移元素不合格"],
        "tested_on": TODAY.isoformat(),
    }
    return {**body, **changes}


class Bureau:
    """One running inspections service, its clock, and callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock) -> None:
        self.svc, self.clock, self.client = svc, clock, svc.client
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=[REGION]))
        self.other_regulator = bearer(
            KEYS.mint("regulator", sub="reg-shenzhen", regions=["440300"])
        )
        self.lab_keys: dict[int, str] = {}

    @staticmethod
    def enterprise(code: str) -> dict[str, str]:
        return bearer(KEYS.mint("enterprise", sub=f"ent-{code}", credit_code=code))

    def lab(self, laboratory_id: int) -> dict[str, str]:
        return {"X-Laboratory-Key": self.lab_keys[laboratory_id]}

    async def ok(self, method: str, path: str, *, status: int = 200, **kwargs) -> Any:
        kwargs.setdefault("headers", self.regulator)
        response = await self.client.request(method, f"{API}{path}", **kwargs)
        assert response.status_code == status, response.text
        return response.json() if "json" in response.headers.get("content-type", "") else None

    async def laboratories(self, count: int = 2) -> list[int]:
        ids = []
        for n in range(count):
            body = {"name": f"广东省产品质量监督检验研究院 {n}", "accreditation_number": f"CMA{n}"}
            made = await self.ok("POST", "/laboratories", json=body, status=201)
            self.lab_keys[made["id"]] = made["access_key"]
            ids.append(made["id"])
        return ids

    async def inspectors(self, count: int, region: str = REGION) -> dict[str, int]:
        """Registered inspectors: badge number → id."""
        made = {}
        for n in range(count):
            badge = f"SG-{region}-{n:03d}"
            body = {"name": f"检查员{n}", "badge_number": badge, "region_code": region}
            made[badge] = (await self.ok("POST", "/inspectors", json=body, status=201))["id"]
        return made

    async def list_in_directory(self, enterprise_codes: list[str], category: str = "toys"):
        entries = [
            {"credit_code": code, "name": f"韶关玩具厂{code[-4:]}", "categories": [category]}
            for code in enterprise_codes
        ]
        for start in range(0, len(entries), 500):
            chunk = {"enterprises": entries[start : start + 500]}
            await self.ok("POST", "/directory", json=chunk)

    async def publish(self, seed: str, labs: list[int], **changes: Any) -> dict[str, Any]:
        body = {
            "title": "2026年韶关市儿童玩具产品质量监督抽查",
            "region_codes": [REGION],
            "categories": ["toys"],
            "period_start": TODAY.isoformat(),
            "period_end": (TODAY + timedelta(days=90)).isoformat(),
            "laboratory_ids": labs,
            "seed_hash": commitment(seed),
            **changes,
        }
        return await self.ok("POST", "/campaigns", json=body, status=201)

    async def draw(self, campaign_id: int, seed: str) -> dict[str, Any]:
        return await self.ok("POST", f"/campaigns/{campaign_id}/draw", json={"seed": seed})

    async def listed(self, path: str, headers: dict | None = None, **params) -> list[dict]:
        """Every item of a list, following the cursor to the end."""
        items: list[dict] = []
        cursor = None
        while True:
            query = {**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
            page = await self.ok("GET", path, params=query, headers=headers or {})
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                return items

    async def events(self, action: str | None = None) -> list[dict[str, Any]]:
        """Outbox events, oldest first; with `action` ("inspection.drawn"), only those."""
        events = await published_events(self.svc.runtime.engine)
        if action is None:
            return events
        return [e for e in events if e["type"] == f"qgov.inspections.{action}.v1"]

    async def apply(self, *events: CloudEvent) -> None:
        """Feed the directory group's handler as the consumer would."""
        principal = Principal(subject="test-consumer", role=Role.ADMIN)
        async with self.svc.runtime.unit_of_work() as uow:
            context = self.svc.app.state.dependencies.context(principal)
            await apply_directory_events(list(events), uow, context)
            await uow.commit()

    async def finalise(self) -> int:
        """One run of the finaliser at the clock's time."""
        return await finalise(self.svc.runtime, self.svc.app.state.dependencies)


def new_seed() -> str:
    return secrets.token_hex(32)


def grade_changed(code: str, grade: str) -> CloudEvent:
    data = {
        "credit_code": code,
        "region_code": code[2:8],
        "previous_grade": "A",
        "grade": grade,
        "previous_score": 100,
        "score": {"A": 95, "B": 80, "C": 65, "D": 30}[grade],
        "rule_version": "2026.1",
        "cause": "rebuild",
        "assessed_on": TODAY.isoformat(),
        "reasons": [],
    }
    return new_event("qgov.credit.grade.changed.v1", source="/qgov/credit", subject=code, data=data)


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def open_bureau(
    stack: TestStack, clock: TestClock, **overrides: Any
) -> AsyncIterator[Bureau]:
    settings = {"run_consumers": False, "run_periodic_work": False, **overrides}
    async with run_service(
        stack,
        SERVICE,
        lambda settings: create_app(settings, clock=clock),
        InspectionsSettings,
        **settings,
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Bureau(svc, clock)


@pytest.fixture
async def bureau(stack: TestStack, clock: TestClock) -> AsyncIterator[Bureau]:
    async with open_bureau(stack, clock) as opened:
        yield opened


async def drawn_campaign(bureau: Bureau, enterprises: int = 5, inspectors: int = 4, **changes):
    """A campaign over `enterprises` toy makers, drawn with every one inspected (ratio 1)."""
    labs = await bureau.laboratories()
    team = await bureau.inspectors(inspectors)
    made = codes(enterprises)
    await bureau.list_in_directory(made)
    seed = new_seed()
    ratios = {"A": "1", "B": "1", "C": "1", "D": "1"}
    campaign = await bureau.publish(seed, labs, ratios=ratios, **changes)
    await bureau.draw(campaign["id"], seed)
    inspections = await bureau.listed(f"/campaigns/{campaign['id']}/inspections")
    return campaign, inspections, team, labs
