"""The credit service on the real PostgreSQL and broker, with a clock the tests move.

Every test starts on `TODAY`, the China Standard Time day of the shared test clock's `START`
(which `QGOV_TEST_CLOCK_START` moves), and states its other dates relative to it, so no test
depends on the date it runs.

`office` is a fresh service without consumers (records entered through the API); `intake` is a
fresh service whose `credit.intake` group reads its namespace's `qgov.complaints` topic, fed by
`Office.produce`. Test modules import the helpers with `from .conftest import`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select

from qgov_credit import SERVICE
from qgov_credit.handlers import Context, grading
from qgov_credit.handlers.intake import take_in
from qgov_credit.main import CreditSettings, create_app
from qgov_credit.models import CreditRecord, GradeChange, IntakeEntry
from qgov_shared.envelope import CloudEvent, new_event
from qgov_shared.kafka import ensure_topics
from qgov_shared.testing.clock import CHINA, START, TestClock
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for
from qgov_shared.testing.tokens import TestKeys, bearer

KEYS = TestKeys()
TODAY = START.astimezone(CHINA).date()
GRADE_CHANGED = "qgov.credit.grade.changed.v1"
COMPLAINTS_TOPIC = "qgov.complaints"


class Office:
    """One running credit service, its clock, and callers of each role."""

    def __init__(self, svc: RunningService, clock: TestClock) -> None:
        self.svc, self.clock, self.client = svc, clock, svc.client
        self.regulator = bearer(KEYS.mint("regulator", sub="reg-shaoguan", regions=["440200"]))
        self.other_regulator = bearer(
            KEYS.mint("regulator", sub="reg-shenzhen", regions=["440300"])
        )
        self.admin = bearer(KEYS.mint("admin", sub="admin-1"))

    @staticmethod
    def enterprise(credit_code: str) -> dict[str, str]:
        return bearer(KEYS.mint("enterprise", sub=f"ent-{credit_code}", credit_code=credit_code))

    # --- the API ---------------------------------------------------------------------------

    async def enter(self, credit_code: str, kind: str, *, as_=None, **fields) -> httpx.Response:
        body = {"credit_code": credit_code, "kind": kind, "occurred_on": TODAY.isoformat()}
        return await self.client.post(
            "/api/v1/credit/records",
            json={**body, **fields},
            headers=self.regulator if as_ is None else as_,
        )

    async def entered(self, credit_code: str, kind: str, **fields) -> dict[str, Any]:
        response = await self.enter(credit_code, kind, **fields)
        assert response.status_code == 201, response.text
        return response.json()

    async def file(self, credit_code: str, *, as_=None) -> httpx.Response:
        headers = self.regulator if as_ is None else as_
        return await self.client.get(f"/api/v1/credit/enterprises/{credit_code}", headers=headers)

    async def file_ok(self, credit_code: str) -> dict[str, Any]:
        response = await self.file(credit_code)
        assert response.status_code == 200, response.text
        return response.json()

    async def listed(self, path: str, *, as_=None, **params: Any) -> list[dict[str, Any]]:
        """Every item of a list endpoint, following the cursor to the end."""
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = await self.client.get(
                f"/api/v1/credit{path}", params=query, headers=as_ or self.regulator
            )
            assert response.status_code == 200, response.text
            page = response.json()
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                return items

    # --- the store and the backbone --------------------------------------------------------

    async def grade_changes(self, credit_code: str | None = None) -> list[dict[str, Any]]:
        """Published grade.changed events, oldest first; with a code, only that enterprise's."""
        return await self.published(GRADE_CHANGED, credit_code)

    async def published(
        self, event_type: str | None = None, credit_code: str | None = None
    ) -> list[dict[str, Any]]:
        """Events written to the outbox, oldest first, of one type and enterprise if named."""
        return [
            event
            for event in await published_events(self.svc.runtime.engine)
            if event_type in (None, event["type"]) and credit_code in (None, event["subject"])
        ]

    async def count(self, table, *where) -> int:
        async with self.svc.runtime.session_factory() as session:
            return await session.scalar(select(func.count()).select_from(table).where(*where))

    async def records(self, credit_code: str) -> list[CreditRecord]:
        query = select(CreditRecord).where(CreditRecord.credit_code == credit_code)
        async with self.svc.runtime.session_factory() as session:
            return list(await session.scalars(query.order_by(CreditRecord.id)))

    async def intake_log(self, event_id: str) -> IntakeEntry | None:
        async with self.svc.runtime.session_factory() as session:
            return await session.get(IntakeEntry, event_id)

    async def history_rows(self, credit_code: str) -> int:
        return await self.count(GradeChange, GradeChange.credit_code == credit_code)

    def context(self) -> Context:
        return self.svc.app.state.dependencies.context()

    async def take_in(self, event: CloudEvent) -> None:
        """Apply one event as the intake group would, without the broker."""
        async with self.svc.runtime.unit_of_work() as uow:
            await take_in(event, uow, self.context())
            await uow.commit()

    async def regrade_due(self) -> int:
        """One run of the periodic regrading at the clock's time."""
        async with self.svc.runtime.unit_of_work() as uow:
            regraded = await grading.regrade_due(uow, self.context())
            await uow.commit()
        return regraded

    async def produce(self, event: CloudEvent, times: int = 1) -> None:
        """Deliver `event` onto this namespace's complaints topic, keyed by its subject."""
        producer = AIOKafkaProducer(
            bootstrap_servers=self.svc.settings.kafka_bootstrap_servers, acks="all"
        )
        await producer.start()
        try:
            for _ in range(times):
                await producer.send_and_wait(
                    self.svc.runtime.topic(COMPLAINTS_TOPIC),
                    value=event.to_json().encode(),
                    key=(event.subject or event.id).encode(),
                )
        finally:
            await producer.stop()

    async def handled(self, event_id: str) -> IntakeEntry:
        """The intake log's line for an event, once the consumer has taken it in."""

        async def logged() -> bool:
            return await self.intake_log(event_id) is not None

        await wait_for(logged, what=f"event {event_id} in the intake log")
        return await self.intake_log(event_id)


def complaint_event(
    event_type: str = "qgov.complaints.complaint.closed.v1",
    subject: str | None = None,
    **data: Any,
) -> CloudEvent:
    """A complaints event about `subject`, its data shaped as the complaints contract says."""
    base = {
        "tracking_number": f"T{TODAY:%Y%m%d}ABCDEFGH",
        "kind": "report" if ".report." in event_type else "complaint",
        "region_code": "440203",
        "handling_region_code": "440203",
        "category": "electronics",
        "respondent_name": "韶关某电器商行",
        "respondent_credit_code": subject,
    }
    return new_event(event_type, source="/qgov/complaints", subject=subject, data=base | data)


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@contextlib.asynccontextmanager
async def open_office(
    stack: TestStack, clock: TestClock, **overrides: Any
) -> AsyncIterator[Office]:
    async with run_service(
        stack, SERVICE, lambda s: create_app(s, clock=clock), CreditSettings, **overrides
    ) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        yield Office(svc, clock)


@pytest.fixture
async def office(stack: TestStack, clock: TestClock) -> AsyncIterator[Office]:
    async with open_office(stack, clock, run_consumers=False) as opened:
        yield opened


@contextlib.asynccontextmanager
async def listening_office(
    stack: TestStack, clock: TestClock, prefix: str | None = None
) -> AsyncIterator[Office]:
    """A credit service whose intake group has joined, the complaints topic of its namespace
    made first so the pattern subscription finds it at once."""
    prefix = prefix or f"t{uuid.uuid4().hex[:10]}."
    settings = stack.settings(CreditSettings, "unused", kafka_topic_prefix=prefix)
    await ensure_topics(settings, [prefix + COMPLAINTS_TOPIC])
    async with open_office(stack, clock, kafka_topic_prefix=prefix) as office:
        await office.svc.consumers_assigned()
        yield office


@pytest.fixture
async def intake(stack: TestStack, clock: TestClock) -> AsyncIterator[Office]:
    async with listening_office(stack, clock) as office:
        yield office
