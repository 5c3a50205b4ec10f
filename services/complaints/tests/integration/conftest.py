"""The complaints service on the real PostgreSQL and broker, with a clock the tests move.

Each test gets a fresh service and database (`desk`), so counts, lists and the outbox hold
only what the test itself did. Test modules import the builders with `from .conftest import`.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from qgov_complaints import SERVICE
from qgov_complaints.handlers import Context
from qgov_complaints.handlers.overdue import announce_overdue
from qgov_complaints.main import ComplaintsSettings, create_app
from qgov_complaints.models import Submission
from qgov_shared.auth import Principal, Role
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer

KEYS = TestKeys()

CODE = credit_code(1)  # the respondent of the standard complaint
OTHER_CODE = credit_code(2)
THIRD_CODE = credit_code(3)
COVERED = "440203"  # 韶关市武江区: within the regulator's 440200
UNCOVERED = "440303"  # 深圳市罗湖区: another prefecture's regulator (440300)

NAME, PHONE, ADDRESS = "张三", "13812345678", "广东省韶关市武江区新华南路12号"
ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check character X)


@dataclass
class Filed:
    id: int
    tracking_number: str
    token: str
    receipt: dict[str, Any]


def complaint_body(**changes: Any) -> dict[str, Any]:
    """A complete, valid complaint; `changes` replace top-level fields (None removes one)."""
    body: dict[str, Any] = {
        "complainant": {
            "name": NAME,
            "phone": PHONE,
            "address": ADDRESS,
            "id_number": ID_NUMBER,
        },
        "respondent": {"name": "韶关某电器商行", "address": "韶关市武江区", "credit_code": CODE},
        "request": "退还货款 1299 元",
        "facts": "购买的电饭煲使用三天后无法加热，商家拒绝退货。",
        "category": "electronics",
        "region_code": COVERED,
        "amount": "1299.00",
        "incident_on": "2026-01-05",
    }
    return _changed(body, changes)


def report_body(**changes: Any) -> dict[str, Any]:
    """A complete, valid report with a named reporter; `reporter=None` makes it anonymous."""
    body: dict[str, Any] = {
        "reporter": {"name": "李四", "phone": "13900001111", "address": "广东省韶关市浈江区"},
        "respondent": {"name": "韶关某食品厂", "credit_code": CODE},
        "facts": "工厂在无证生产散装月饼，车间卫生条件差。",
        "category": "food",
        "region_code": COVERED,
    }
    return _changed(body, changes)


def _changed(body: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    for name, value in changes.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    return body


class Desk:
    """One running complaints service, its clock, and the callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock) -> None:
        self.svc = svc
        self.clock = clock
        self.client: httpx.AsyncClient = svc.client
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
        self.other_regulator = bearer(
            KEYS.mint("regulator", sub="reg-shenzhen", regions=["440300"])
        )
        self.admin = bearer(KEYS.mint("admin", sub="admin-1"))
        self.enterprise = bearer(KEYS.mint("enterprise", sub="ent-1", credit_code=CODE))
        self.other_enterprise = bearer(KEYS.mint("enterprise", sub="ent-2", credit_code=OTHER_CODE))
        self.citizen = bearer(KEYS.mint("citizen", sub="citizen-1"))

    def today(self, day: date, hour: int = 10) -> None:
        self.clock.today(day, hour)

    # --- filing ----------------------------------------------------------------------------

    async def file_complaint(self, body: dict[str, Any] | None = None, **changes: Any) -> Filed:
        response = await self.client.post(
            "/api/v1/complaints", json=body or complaint_body(**changes)
        )
        return await self._filed(response)

    async def file_report(self, body: dict[str, Any] | None = None, **changes: Any) -> Filed:
        response = await self.client.post("/api/v1/reports", json=body or report_body(**changes))
        return await self._filed(response)

    async def _filed(self, response: httpx.Response) -> Filed:
        assert response.status_code == 201, response.text
        receipt = response.json()
        query = select(Submission.id).where(
            Submission.tracking_number == receipt["tracking_number"]
        )
        async with self.svc.runtime.session_factory() as session:
            submission_id = await session.scalar(query)
        return Filed(submission_id, receipt["tracking_number"], receipt["token"], receipt)

    # --- regulators ------------------------------------------------------------------------

    async def act(
        self, filed: Filed | int, step: str, body: dict | None = None, *, as_=None
    ) -> httpx.Response:
        """POST /api/v1/submissions/{id}/{step} as the handling regulator (or `as_`)."""
        submission_id = filed if isinstance(filed, int) else filed.id
        return await self.client.post(
            f"/api/v1/submissions/{submission_id}/{step}",
            json=body,
            headers=self.regulator if as_ is None else as_,
        )

    async def step_ok(self, filed: Filed, step: str, body: dict | None = None) -> dict:
        response = await self.act(filed, step, body)
        assert response.status_code == 200, response.text
        return response.json()

    async def show(self, filed: Filed, *, as_=None) -> httpx.Response:
        headers = self.regulator if as_ is None else as_
        return await self.client.get(f"/api/v1/submissions/{filed.id}", headers=headers)

    async def listed(self, path: str = "", *, as_=None, **params: Any) -> list[dict]:
        """Every item of a regulator list, following the cursor to the end."""
        items: list[dict] = []
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = await self.client.get(
                f"/api/v1/submissions{path}",
                params=query,
                headers=self.regulator if as_ is None else as_,
            )
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                return items

    async def track(self, filed: Filed, token: str | None = None) -> httpx.Response:
        return await self.client.get(
            f"/api/v1/tracking/{filed.tracking_number}",
            headers={"X-Tracking-Token": token or filed.token},
        )

    async def rate(self, filed: Filed, satisfaction: int) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/tracking/{filed.tracking_number}/rating",
            json={"satisfaction": satisfaction},
            headers={"X-Tracking-Token": filed.token},
        )

    # --- the store -------------------------------------------------------------------------

    async def events(self, action: str | None = None) -> list[dict[str, Any]]:
        """Outbox events, oldest first; with `action` ("complaint.filed"), only those."""
        events = await published_events(self.svc.runtime.engine)
        if action is None:
            return events
        return [e for e in events if e["type"] == f"qgov.complaints.{action}.v1"]

    async def submissions(self) -> int:
        async with self.svc.runtime.session_factory() as session:
            return await session.scalar(select(func.count()).select_from(Submission))

    async def announce_overdue(self) -> int:
        """One run of the overdue scanner at the clock's time."""
        scanner = Principal(subject="test-scanner", role=Role.ADMIN)
        async with self.svc.runtime.unit_of_work() as uow:
            ctx = Context(self.svc.app.state.dependencies.policy, self.clock(), scanner)
            announced = await announce_overdue(uow, ctx)
            await uow.commit()
        return announced


def dumped(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False)


@pytest.fixture
def clock() -> TestClock:
    """The service's clock, at the kit's start; tests that need a certain day stand at it."""
    return TestClock()


@contextlib.asynccontextmanager
async def open_desk(stack: TestStack, clock: TestClock, **overrides: Any) -> AsyncIterator[Desk]:
    """A fresh complaints service whose scanner does not run: the tests run it themselves, at
    the clock's time (`Desk.announce_overdue`)."""
    settings = {"run_consumers": False, "run_periodic_work": False, **overrides}
    async with run_service(
        stack,
        SERVICE,
        lambda settings: create_app(settings, clock=clock),
        ComplaintsSettings,
        **settings,
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Desk(svc, clock)


@pytest.fixture
async def desk(stack: TestStack, clock: TestClock) -> AsyncIterator[Desk]:
    async with open_desk(stack, clock) as opened:
        yield opened
