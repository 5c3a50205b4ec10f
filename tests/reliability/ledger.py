"""The ledger: what the load was told had happened, against what every store holds.

Each acknowledged operation must have its effect once in its own service, and each event it
caused must have its effect once in every consumer: credit's records, the gateway's profile
counts and its credit feed. The auditor reads the databases and the broker directly.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from .load import Tally
from .platform import Platform

POLL_S = 0.5


@dataclass
class Ledger:
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)

    def compare(self, what: str, expected: Counter, found: Counter) -> None:
        for key in expected.keys() | found.keys():
            short, over = expected[key] - found[key], found[key] - expected[key]
            if short > 0:
                self.lost.append(f"{what} {key}: {short} of {expected[key]} missing")
            if over > 0:
                self.doubled.append(f"{what} {key}: {over} more than {expected[key]}")

    @property
    def balanced(self) -> bool:
        return not self.lost and not self.doubled


async def audit(platform: Platform, tally: Tally, http: httpx.AsyncClient) -> Ledger:
    ledger = Ledger()
    codes = set(tally.complaints.values()) | set(tally.records.values())
    codes |= set(tally.declarations.values())
    async with platform.database("complaints") as db:
        rows = await db.fetch(
            "SELECT tracking_number, status FROM submissions WHERE tracking_number = ANY($1)",
            list(tally.complaints),
        )
    filed = Counter(row["tracking_number"] for row in rows)
    ledger.compare("complaint", Counter(tally.complaints.keys()), filed)
    closed = Counter(row["tracking_number"] for row in rows if row["status"] == "closed")
    ledger.compare("closed complaint", Counter(tally.closed), closed)
    async with platform.database("standards") as db:
        declared = await db.fetch(
            "SELECT id FROM declarations WHERE id = ANY($1)", list(tally.declarations)
        )
    ledger.compare(
        "declaration", Counter(tally.declarations.keys()), Counter(r["id"] for r in declared)
    )
    async with platform.database("traceability") as db:
        captured = await db.fetch(
            "SELECT event_id FROM epcis_events WHERE event_id = ANY($1)", list(tally.captures)
        )
    ledger.compare(
        "EPCIS event", Counter(tally.captures.keys()), Counter(r["event_id"] for r in captured)
    )
    await _audit_credit(platform, tally, ledger, codes)
    await _audit_gateway(platform, tally, ledger, codes, http)
    return ledger


async def _audit_credit(platform: Platform, tally: Tally, ledger: Ledger, codes: set[str]):
    async with platform.database("credit") as db:
        records = await db.fetch(
            "SELECT credit_code, kind, note FROM credit_records WHERE credit_code = ANY($1)",
            list(codes),
        )
    penalties = Counter(r["note"] for r in records if r["kind"] == "penalty")
    ledger.compare("credit record", Counter(tally.records.keys()), penalties)
    # Every complaint mediated to an agreement is a substantiated complaint in credit.
    substantiated = Counter(
        r["credit_code"] for r in records if r["kind"] == "substantiated_complaint"
    )
    expected = Counter(tally.complaints[number] for number in tally.closed)
    ledger.compare("substantiated complaint about", expected, substantiated)


async def _audit_gateway(
    platform: Platform, tally: Tally, ledger: Ledger, codes: set[str], http: httpx.AsyncClient
):
    complaints, declarations = (
        Counter(tally.complaints.values()),
        Counter(tally.declarations.values()),
    )
    for code in sorted(codes):
        answer = await http.get(f"/api/v1/enterprises/{code}/profile", headers=platform.regulator)
        if answer.status_code != 200:
            ledger.lost.append(f"profile of {code}: {answer.status_code}")
            continue
        profile = answer.json()
        received = profile["complaints"]["complaints_received"]
        ledger.compare(
            "profile complaints of", Counter({code: complaints[code]}), Counter({code: received})
        )
        standing = Counter({code: len(profile["standards"])})
        ledger.compare("profile declarations of", Counter({code: declarations[code]}), standing)
    # The feed holds each of credit's grade changes once: the same changes, no more, no fewer.
    async with platform.database("credit") as db:
        changes = await db.fetch(
            "SELECT credit_code, score, changed_at FROM grade_changes WHERE credit_code = ANY($1)"
            " AND previous_grade IS NOT NULL",
            list(codes),
        )
    async with platform.database("gateway") as db:
        feed = await db.fetch(
            "SELECT credit_code, score, changed_at FROM credit_changes WHERE credit_code = ANY($1)",
            list(codes),
        )
    ledger.compare("feed entry", Counter(map(tuple, changes)), Counter(map(tuple, feed)))


async def balanced(platform: Platform, tally: Tally, within: float) -> tuple[Ledger, float]:
    """Audit until the ledger balances (effects arrive after their acknowledgements) or
    `within` seconds pass; the last audit and how long it took to balance."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30) as http:
        while True:
            ledger = await audit(platform, tally, http)
            waited = time.monotonic() - started
            if ledger.balanced or waited > within:
                return ledger, waited
            await asyncio.sleep(POLL_S)


async def dead_letters(platform: Platform) -> list[str]:
    """What is parked in the dead-letter topics of the platform's topics: for each message,
    the consumer that parked it and why."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=platform.direct_bootstrap, enable_auto_commit=False
    )
    await consumer.start()
    try:
        topics = [t for t in await consumer.topics() if t.startswith(platform.topic_prefix)]
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            if topic.endswith(".dlq")
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        ends = await consumer.end_offsets(partitions) if partitions else {}
        behind = [tp for tp, end in ends.items() if end > 0]
        if not behind:
            return []
        consumer.assign(behind)
        await consumer.seek_to_beginning(*behind)
        parked: list[str] = []
        while len(parked) < sum(ends.values()):
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                parked += [_why(record.headers) for record in records]
        return parked
    finally:
        await consumer.stop()


def _why(headers) -> str:
    told = {key: value.decode(errors="replace") for key, value in headers or ()}
    return " ".join(
        told.get(key, "?") for key in ("qgov-consumer", "qgov-error-type", "qgov-error-message")
    )
