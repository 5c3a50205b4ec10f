"""Fixtures for the backbone proofs: the demo service on the real PostgreSQL and broker."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import func, select

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_demo.models import PingReceipt
from qgov_shared.backbone import outbox_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service

ENTERPRISES = ("91350100M000100Y43", "91110000802100433B", "9144030071526726XG")


@contextlib.asynccontextmanager
async def running_demo(stack: TestStack, **overrides: Any) -> AsyncIterator[RunningService]:
    """The demo service with these settings, its consumers in their group."""
    async with run_service(stack, SERVICE, create_app, DemoSettings, **overrides) as service:
        await service.consumers_assigned()
        yield service


@pytest.fixture
async def demo(stack: TestStack) -> AsyncIterator[RunningService]:
    async with running_demo(stack) as service:
        yield service


@pytest.fixture
async def demo_without_consumers(stack: TestStack) -> AsyncIterator[RunningService]:
    """The demo with its relay but no consumers: the test drives consumers itself, applying
    at most five events per transaction so a batch of pings spans several transactions."""
    async with run_service(
        stack, SERVICE, create_app, DemoSettings, run_consumers=False, consumer_batch_size=5
    ) as svc:
        yield svc


async def record_ping(service: RunningService, credit_code: str, message: str = "ping") -> int:
    response = await service.client.post(
        "/api/v1/demo/pings", json={"credit_code": credit_code, "message": message}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def receipts(service: RunningService, credit_code: str | None = None) -> list[int]:
    """Ping ids the consumer applied, in the order it applied them."""
    query = select(PingReceipt.ping_id).order_by(PingReceipt.id)
    if credit_code:
        query = query.where(PingReceipt.credit_code == credit_code)
    async with service.runtime.session_factory() as session:
        return list((await session.execute(query)).scalars())


async def unpublished_count(service: RunningService) -> int:
    query = select(func.count()).where(outbox_events.c.published_at.is_(None))
    async with service.runtime.engine.connect() as connection:
        return await connection.scalar(query)


async def outbox_count(service: RunningService) -> int:
    async with service.runtime.engine.connect() as connection:
        return await connection.scalar(select(func.count()).select_from(outbox_events))


async def produce_raw(service: RunningService, topic: str, value: bytes, key: bytes) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=service.settings.kafka_bootstrap_servers, acks="all"
    )
    await producer.start()
    try:
        await producer.send_and_wait(service.runtime.topic(topic), value=value, key=key)
    finally:
        await producer.stop()


async def read_one(service: RunningService, topic: str, within_ms: int = 20_000):
    """The first record of a (namespaced) topic, read by a throwaway consumer group."""
    consumer = AIOKafkaConsumer(
        service.runtime.topic(topic),
        bootstrap_servers=service.settings.kafka_bootstrap_servers,
        group_id=f"reader-{uuid.uuid4().hex}",
        auto_offset_reset="earliest",
        session_timeout_ms=service.settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=service.settings.kafka_heartbeat_interval_ms,
    )
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=within_ms, max_records=1)
        records = [record for batch in batches.values() for record in batch]
        assert records, f"nothing arrived on {topic} within {within_ms} ms"
        return records[0]
    finally:
        await consumer.stop()
