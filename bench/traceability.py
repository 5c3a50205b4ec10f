"""The traceability service at the issue's sizes: EPCIS capture against a bare COPY of the same
rows, and tracing and MATCH_anyEPC queries on a small and a large history, in one run.

    python -m bench.traceability [--capture 5000] [--small 10000] [--large 1000000]
                                 [--samples 200] [--runs 1] [--quick]

Starts PostgreSQL once (or uses QGOV_DATABASE_URL), then, in every run:

    (a) capture: C events POSTed to /epcis/capture in documents of 500 (schema validation,
        reading, the repository, its indexes and the trace graph), over HTTP in-process
        vs  a bare asyncpg COPY of the same epcis_events rows into a table without indexes
    (b) two fresh repositories holding S and L events of generated supply chains (ten events
        each: a transformation, commissioning with a lot number, two cases and a pallet packed,
        shipped, received, a case unpacked and shelved, the pallet shipped on), written by the
        capture code (`handlers.storing.store`, no HTTP or schema): then a forward trace from
        the raw-material lot of random chains (queries.graph.trace, the service's default
        depth) and a MATCH_anyEPC query for a random item (queries.events.event_page)

and prints medians over the runs: capture ÷ COPY, and each figure at L ÷ the same at S (the
issue asks that tracing at L stays within twice its time at S).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import (
    Row,
    bench_parser,
    console,
    parse_sizes,
    percentile,
    ratio_table,
    repeat_runs,
    stack_session,
)
from qgov_shared.auth import Role
from qgov_shared.testing.stack import TestStack, run_service
from qgov_shared.testing.tokens import TestKeys, bearer
from qgov_traceability import SERVICE
from qgov_traceability.epcis.event_hash import namespaces_of
from qgov_traceability.epcis.identifiers import canonical
from qgov_traceability.epcis.query import parse_query
from qgov_traceability.epcis.reading import read_event
from qgov_traceability.handlers.storing import Stored, store
from qgov_traceability.main import TraceabilitySettings, create_app
from qgov_traceability.policy import load_policy
from qgov_traceability.queries import events, graph
from qgov_traceability.queries.scope import Scope

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
DOCUMENT_EVENTS = 500
SEED_CHUNK = 500  # chains written per transaction while seeding
START = datetime(2026, 1, 1, tzinfo=UTC)
STORES = 1_000
SETTINGS = {"run_consumers": False, "run_outbox_relay": False, "subscription_interval_s": 3600.0}
ROWS = (
    Row("capture (HTTP, schema, indexes, graph)", "events/s", "capture", "copy", "bare COPY"),
    Row("forward trace p50 at L", "ms", "trace_p50_l", "trace_p50_s", "the same at S"),
    Row("forward trace p99 at L", "ms", "trace_p99_l", "trace_p99_s", "the same at S"),
    Row("MATCH_anyEPC p99 at L", "ms", "match_p99_l", "match_p99_s", "the same at S"),
)


def chain(n: int) -> list[dict[str, Any]]:
    """The ten events of supply chain `n` (its own lots, items, cases and pallet)."""
    prefix, item = f"69{n % 90 + 10:02d}123", f"0{n % 100_000:05d}"  # 7-digit company prefix
    lot = f"urn:epc:class:lgtin:{prefix}.{item}.L{n}"
    items = [f"urn:epc:id:sgtin:{prefix}.{item}.{n}-{i}" for i in range(4)]
    containers = (f"urn:epc:id:sscc:{prefix}.{n % 10**9 * 10 + k:010d}" for k in (1, 2, 3))
    case_1, case_2, pallet = containers
    factory = f"urn:epc:id:sgln:{prefix}.00001.0"
    stores = (n % STORES, (n + 1) % STORES)
    store_1, store_2 = (f"urn:epc:id:sgln:690{s:04d}.00001.0" for s in stores)
    party = f"urn:epc:id:pgln:690{n % STORES:04d}.00000"
    t0 = START + timedelta(minutes=n)

    def event(kind: str, hours: int, **fields: Any) -> dict[str, Any]:
        at = (t0 + timedelta(hours=hours)).isoformat()
        return {
            "type": kind,
            "eventID": f"urn:uuid:{uuid.UUID(int=n * 16 + hours)}",
            "eventTime": at,
            "eventTimeZoneOffset": "+08:00",
            **fields,
        }

    def packed(hours: int, parent: str, children: list[str], action: str = "ADD") -> dict:
        return event("AggregationEvent", hours, parentID=parent, childEPCs=children, action=action)

    return [
        event(
            "TransformationEvent",
            1,
            readPoint={"id": factory},
            inputQuantityList=[{"epcClass": f"{lot}R", "quantity": 500}],
            outputQuantityList=[{"epcClass": lot, "quantity": 480}],
        ),
        event("ObjectEvent", 2, action="ADD", epcList=items, ilmd={"cbvmda:lotNumber": f"L{n}"}),
        packed(3, case_1, items[:2]),
        packed(4, case_2, items[2:]),
        packed(5, pallet, [case_1, case_2]),
        event(
            "ObjectEvent",
            6,
            action="OBSERVE",
            epcList=[pallet],
            bizStep="shipping",
            destinationList=[{"type": "owning_party", "destination": party}],
        ),
        event("ObjectEvent", 8, action="OBSERVE", epcList=[pallet], bizLocation={"id": store_1}),
        packed(9, pallet, [case_1], action="DELETE"),
        event("ObjectEvent", 10, action="OBSERVE", epcList=[case_1], bizStep="stocking"),
        event("ObjectEvent", 12, action="OBSERVE", epcList=[pallet], bizLocation={"id": store_2}),
    ]


def documents(count: int, first_chain: int) -> Iterator[dict[str, Any]]:
    made = [e for n in range(first_chain, first_chain + count // 10 + 1) for e in chain(n)][:count]
    for at in range(0, len(made), DOCUMENT_EVENTS):
        body = {"eventList": made[at : at + DOCUMENT_EVENTS]}
        yield {
            "@context": CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": START.isoformat(),
            "epcisBody": body,
        }


def dsn(settings: TraceabilitySettings) -> str:
    url = make_url(settings.service_database_url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def measure_capture(stack: TestStack, count: int) -> dict[str, float]:
    keys = TestKeys()
    admin = bearer(keys.mint(Role.ADMIN, sub="bench"))
    async with run_service(stack, SERVICE, create_app, TraceabilitySettings, **SETTINGS) as svc:
        svc.app.state.token_verifier = keys.verifier()
        bodies = list(documents(count, first_chain=10**6))
        started = time.perf_counter()
        for body in bodies:
            answer = await svc.client.post("/epcis/capture", json=body, headers=admin)
            if answer.status_code != 202 or not answer.json()["success"]:
                raise RuntimeError(f"capture failed: {answer.text[:500]}")
        capture_s = time.perf_counter() - started
        connection = await asyncpg.connect(dsn(svc.settings))
        try:
            rows = await connection.fetch("SELECT * FROM epcis_events")
            columns = list(rows[0].keys())
            await connection.execute("CREATE TABLE bare_events (LIKE epcis_events)")
            started = time.perf_counter()
            await connection.copy_records_to_table("bare_events", records=rows, columns=columns)
            copy_s = time.perf_counter() - started
        finally:
            await connection.close()
    return {"capture": len(rows) / capture_s, "copy": len(rows) / copy_s}


async def seed(svc: Any, chains: int) -> None:
    namespaces = namespaces_of(CONTEXT)
    for first in range(0, chains, SEED_CHUNK):
        last = min(first + SEED_CHUNK, chains)
        read = [read_event(e, namespaces) for n in range(first, last) for e in chain(n)]
        async with svc.runtime.unit_of_work() as uow:
            items = [Stored(event, frozenset()) for event in read]
            await store(
                items, uow, context=CONTEXT, record_time=START, job_id=None, captured_by="bench"
            )
            await uow.commit()
    connection = await asyncpg.connect(dsn(svc.settings))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def measure_history(stack: TestStack, size: int, samples: int, rng: Random) -> dict:
    chains = max(size // 10, 1)
    depth = load_policy().tracing.default_depth
    async with run_service(stack, SERVICE, create_app, TraceabilitySettings, **SETTINGS) as svc:
        started = time.perf_counter()
        await seed(svc, chains)
        took = time.perf_counter() - started
        console.print(f"[dim]seeded {chains * 10:,} events in {took:.0f}s[/dim]")
        picked = [rng.randrange(chains) for _ in range(samples)]
        traces, matches, reached = [], [], []
        async with svc.runtime.session_factory() as session:
            for n in picked:
                events_of_chain = chain(n)
                raw = canonical(events_of_chain[0]["inputQuantityList"][0]["epcClass"])
                ids = await graph.node_ids(session, [raw])
                started = time.perf_counter()
                found = await graph.trace(session, list(ids.values()), forward=True, depth=depth)
                traces.append(time.perf_counter() - started)
                reached.append(len(found.nodes))
                item = events_of_chain[1]["epcList"][0]
                query = parse_query({"MATCH_anyEPC": item}, max_per_page=100)
                started = time.perf_counter()
                page = await events.event_page(session, query, Scope("admin"), max_per_page=100)
                matches.append(time.perf_counter() - started)
                assert len(page.events) == 2, (n, len(page.events))  # commissioned, packed
    return {
        "trace_p50": statistics.median(traces) * 1000,
        "trace_p99": percentile(traces, 99) * 1000,
        "match_p99": percentile(matches, 99) * 1000,
        "reached": statistics.median(reached),
    }


async def measure(stack: TestStack, args: Any, run: int) -> dict[str, float]:
    rng = Random(20261201 + run)
    figures = await measure_capture(stack, args.capture)
    for suffix, size in (("s", args.small), ("l", args.large)):
        history = await measure_history(stack, size, args.samples, rng)
        figures |= {f"{name}_{suffix}": value for name, value in history.items()}
    return figures


def figure(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit == "events/s" else f"{value:,.2f}"


QUICK = {"capture": 1_000, "small": 2_000, "large": 20_000, "samples": 50, "runs": 1}
FULL = {"capture": 5_000, "small": 10_000, "large": 1_000_000, "samples": 200, "runs": 1}


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.traceability", __doc__)
    for name, help_ in (
        ("--capture", "C, events captured over HTTP (5000)"),
        ("--small", "S, events in the small history (10000)"),
        ("--large", "L, events in the large history (1000000)"),
        ("--samples", "traces and queries timed at each size (200)"),
        ("--runs", "runs to take the median of (1)"),
    ):
        parser.add_argument(name, type=int, help=help_)
    parser.add_argument("--quick", action="store_true", help=f"smaller sizes: {QUICK}")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    args = parse_sizes(parser, argv, QUICK, FULL)
    with stack_session(args.verbose) as (stack, _):
        runs = asyncio.run(repeat_runs(stack, args.runs, lambda run: measure(stack, args, run)))
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    title = (
        f"Traceability: capture of {args.capture:,} events; histories of S={args.small:,} and "
        f"L={args.large:,} events; median of {len(runs)} run(s)"
    )
    table, ratios = ratio_table(title, ROWS, runs, medians, figure)
    console.print(table)
    console.print(
        f"ratio = QGov ÷ baseline (capture: higher is better; the rest: L ÷ S, at most 2 "
        f"wanted); a trace reached {medians['reached_s']:.0f} nodes at S and "
        f"{medians['reached_l']:.0f} at L",
        style="bold",
    )
    within = all(ratios[key] <= 2 for key in ("trace_p50_l", "trace_p99_l"))
    console.print(f"tracing L ÷ S ≤ 2: {'ok' if within else 'NOT MET'}", highlight=False)
    if args.json:
        figures = {"runs": runs, "medians": medians, "ratios": ratios, "ok": within}
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
