"""The brands service on the real PostgreSQL and broker, with a clock the tests move.

Every test starts on `TODAY`, the China Standard Time day of the shared test clock's `START`,
and the programmes it runs have one round, `ROUND`, open from ten days before `TODAY` to twenty
days after, so no test depends on the date it runs. `Desk` is one running service with
callers of each role and the steps every test takes; `walk` takes an application through
every stage of its programme. Test modules import the helpers with `from .conftest import`,
and credit's events with `from .credit_feed import`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from qgov_brands import SERVICE
from qgov_brands.handlers import Context
from qgov_brands.handlers.credit import apply_credit_events
from qgov_brands.main import BrandsSettings, create_app
from qgov_brands.policy import Policy, load_policy
from qgov_brands.programme import Round, StageKind
from qgov_shared.auth import Principal, Role
from qgov_shared.envelope import CloudEvent
from qgov_shared.testing.clock import CHINA, START, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

KEYS = TestKeys()
TODAY = START.astimezone(CHINA).date()
ROUND = "test"
OPENS, CLOSES = TODAY - timedelta(days=10), TODAY + timedelta(days=20)
APPLICANT = credit_code(1)  # registered in 440200, the regulator's region
OTHER = credit_code(2)
# Reviewers work outside Guangdong, so no programme's region rule keeps them off.
PANEL_REGIONS = ("110000", "310000", "320100", "330100", "510100", "420100")


def policy_for_tests() -> Policy:
    """The shipped programmes, each with the one round `ROUND` open around `TODAY`."""
    policy = load_policy()
    rounds = {ROUND: Round(ROUND, OPENS, CLOSES)}
    programmes = {code: replace(p, rounds=rounds) for code, p in policy.programmes.items()}
    return replace(policy, programmes=programmes)


def brand_body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "马坝油粘米",
        "owner_name": "韶关市某粮油有限公司",
        "trademark_number": "12345678",
        "nice_class": 30,
        "product_categories": ["大米"],
        "founded_year": TODAY.year - 60,
        "geographical_indication": True,
        "time_honoured_candidate": True,
    }
    return {**body, **changes}


class Desk:
    """One running brands service, its clock, and callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock, policy: Policy) -> None:
        self.svc, self.clock, self.client, self.policy = svc, clock, svc.client, policy
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
        self.other_regulator = bearer(KEYS.mint("regulator", sub="reg-sz", regions=["440300"]))
        self.admin = bearer(KEYS.mint("admin", sub="admin-1"))
        self.panel: list[tuple[int, str]] = []
        self._trademarks = 0

    @staticmethod
    def enterprise(code: str = APPLICANT) -> dict[str, str]:
        return bearer(KEYS.mint("enterprise", sub=f"ent-{code}", credit_code=code))

    @staticmethod
    def reviewer(subject: str) -> dict[str, str]:
        return bearer(KEYS.mint("reviewer", sub=subject))

    @property
    def today(self) -> date:
        return self.clock().astimezone(CHINA).date()

    # --- brands and applications -------------------------------------------------------------

    async def brand(self, code: str = APPLICANT, **changes: Any) -> dict[str, Any]:
        self._trademarks += 1
        body = brand_body(trademark_number=f"{code[-6:]}{self._trademarks:04d}", **changes)
        response = await self.client.post(
            "/api/v1/brands", json=body, headers=self.enterprise(code)
        )
        assert response.status_code == 201, response.text
        return response.json()

    async def apply(
        self, programme: str, code: str = APPLICANT, brand_id: int | None = None, **changes: Any
    ) -> httpx.Response:
        body = {
            "programme": programme,
            "round": ROUND,
            "enterprise_name": "韶关市某粮油有限公司",
            "statement": "卓越绩效管理实践十年，产品质量稳居行业前列。",
            "brand_id": brand_id,
            **changes,
        }
        return await self.client.post(
            "/api/v1/awards/applications", json=body, headers=self.enterprise(code)
        )

    async def applied(self, programme: str, code: str = APPLICANT, **changes: Any) -> dict:
        if "brand_id" not in changes and self.policy.programmes[programme].subject == "brand":
            changes["brand_id"] = (await self.brand(code))["id"]
        response = await self.apply(programme, code, **changes)
        assert response.status_code == 201, response.text
        return response.json()

    async def step(
        self, application: dict, passed: bool = True, *, as_: dict | None = None, **changes: Any
    ) -> httpx.Response:
        body = {"stage": application["stage"], "passed": passed, "reasons": "经审查", **changes}
        return await self.client.post(
            f"/api/v1/awards/applications/{application['id']}/steps",
            json=body,
            headers=as_ or self.regulator,
        )

    async def stepped(self, application: dict, passed: bool = True, **changes: Any) -> dict:
        response = await self.step(application, passed, **changes)
        assert response.status_code == 200, f"{application['stage']}: {response.text}"
        return response.json()

    async def shown(self, application_id: int, headers: dict | None = None) -> httpx.Response:
        return await self.client.get(
            f"/api/v1/awards/applications/{application_id}", headers=headers or self.regulator
        )

    # --- reviewers -----------------------------------------------------------------------------

    async def register_reviewer(self, subject: str, **changes: Any) -> httpx.Response:
        body = {
            "subject": subject,
            "name": f"专家{subject}",
            "organisation": "中国质量协会",
            "region_code": PANEL_REGIONS[0],
            **changes,
        }
        return await self.client.post("/api/v1/awards/reviewers", json=body, headers=self.admin)

    async def reviewers(self, count: int) -> list[tuple[int, str]]:
        """The first `count` reviewers of this desk's panel (registered once each)."""
        while len(self.panel) < count:
            subject = f"expert-{len(self.panel) + 1}"
            region = PANEL_REGIONS[len(self.panel) % len(PANEL_REGIONS)]
            response = await self.register_reviewer(subject, region_code=region)
            assert response.status_code == 201, response.text
            self.panel.append((response.json()["id"], subject))
        return self.panel[:count]

    async def assign(self, application_id: int, reviewer_id: int) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/awards/applications/{application_id}/assignments",
            json={"reviewer_id": reviewer_id},
            headers=self.regulator,
        )

    async def score(self, application_id: int, subject: str, points: dict) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/awards/applications/{application_id}/scores",
            json={"scores": points},
            headers=self.reviewer(subject),
        )

    def points(self, programme: str, share: float) -> dict[str, int]:
        """Each criterion scored at `share` of its weight."""
        weights = self.policy.programmes[programme].review.weights
        return {name: round(weight * share) for name, weight in weights.items()}

    async def scored(self, application: dict, shares: list[float]) -> None:
        """One assigned reviewer per share, each scoring every criterion at that share."""
        programme = application["programme"]
        for (reviewer_id, subject), share in zip(
            await self.reviewers(len(shares)), shares, strict=True
        ):
            assert (await self.assign(application["id"], reviewer_id)).status_code == 200
            scored = await self.score(application["id"], subject, self.points(programme, share))
            assert scored.status_code == 201, scored.text

    # --- the committee, the notice, the end ----------------------------------------------------

    async def propose(self, programme: str, *, as_: dict | None = None) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/awards/programmes/{programme}/rounds/{ROUND}/proposal",
            json={"reasons": "评审委员会审议"},
            headers=as_ or self.admin,
        )

    def after_round(self) -> None:
        self.clock.today(CLOSES + timedelta(days=1))

    def after_notice(self, application: dict) -> None:
        ends = date.fromisoformat(application["notice_ends_on"])
        if self.today <= ends:
            self.clock.today(ends + timedelta(days=1))

    async def walk(self, application: dict, *, until: str | None = None) -> dict:
        """Pass every stage of the application's programme, as far as `until` (its current
        stage then), or to its decision."""
        programme = self.policy.programmes[application["programme"]]
        while application["status"] == "in_progress" and application["stage"] != until:
            kind = programme.stage(application["stage"]).kind
            if kind is StageKind.SCORING:
                await self.scored(application, [0.8, 0.8, 0.8])
            if kind is StageKind.PROPOSAL:
                self.after_round()
                response = await self.propose(programme.code)
                assert response.status_code == 200, response.text
                application = (await self.shown(application["id"])).json()
                continue
            if kind is StageKind.NOTICE:
                self.after_notice(application)
            application = await self.stepped(application)
        return application

    # --- credit and the outbox -----------------------------------------------------------------

    async def credit(self, *events: CloudEvent) -> None:
        """Apply credit's events as the `brands.credit` group would, without the broker."""
        context = Context(self.policy, self.clock(), Principal("credit-link", Role.ADMIN))
        async with self.svc.runtime.unit_of_work() as uow:
            await apply_credit_events(list(events), uow, context)
            await uow.commit()

    async def produce(self, event: CloudEvent, topic: str) -> None:
        """Deliver `event` onto this namespace's `topic`, keyed by its subject."""
        producer = AIOKafkaProducer(
            bootstrap_servers=self.svc.settings.kafka_bootstrap_servers, acks="all"
        )
        await producer.start()
        try:
            await producer.send_and_wait(
                self.svc.runtime.topic(topic),
                value=event.to_json().encode(),
                key=(event.subject or event.id).encode(),
            )
        finally:
            await producer.stop()

    async def events(self, event_type: str | None = None) -> list[dict[str, Any]]:
        return [
            event
            for event in await published_events(self.svc.runtime.engine)
            if event_type in (None, event["type"])
        ]


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def open_desk(
    stack: TestStack, clock: TestClock, policy: Policy | None = None, **overrides: Any
) -> AsyncIterator[Desk]:
    policy = policy or policy_for_tests()
    app = lambda settings: create_app(settings, clock=clock, policy=policy)  # noqa: E731
    async with run_service(stack, SERVICE, app, BrandsSettings, **overrides) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Desk(svc, clock, policy)


@pytest.fixture
async def desk(stack: TestStack, clock: TestClock) -> AsyncIterator[Desk]:
    async with open_desk(stack, clock, run_consumers=False) as opened:
        yield opened
