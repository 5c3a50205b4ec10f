"""The standards service at the issue's sizes, each figure beside a bare baseline on the same
stack, in one run.

    python -m bench.standards [--declarations 200000] [--category 10000] [--queries 400]
                              [--requests 3000] [--runs 3] [--quick]

Starts PostgreSQL and the broker once (or uses QGOV_DATABASE_URL / QGOV_KAFKA_BOOTSTRAP_SERVERS),
then, in every run:

    (a) seeding, untimed: D published declarations COPYed into a fresh standards database, with
        the terms `search.document_terms` makes; C of them in one category with indicators
    (b) search: `query_terms` + `queries.search.search` (SQLAlchemy session, keyset page of 50,
        views) for 1-character, 2-character and number/credit-code queries, p50/p99
        vs  the same SQL on the same GIN index through a bare asyncpg connection
    (c) ranking: `handlers.ranking.rank_category` of the C-declaration category in one unit of
        work (read, rank, replace the entries, publish, commit)
        vs  a bare asyncpg read of the same rows + the pure `ranking.rank`
    (d) filing: POST /api/v1/standards/declarations over real HTTP (uvicorn, outbox relay on,
        the development catalogue seeded, so the floor is checked against real limits)
        vs  the complaint-filing baseline of bench.complaints (a bare FastAPI + asyncpg INSERT)

and prints medians over the runs with QGov ÷ baseline ratios (the median of per-run ratios).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from fastapi import FastAPI

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
from bench.complaints import Options, closed_loop, complaint_bodies, measure_baseline
from bench.servers import RawConnection, cpu_seconds, serve, server_env, stop_all
from qgov_shared.auth import Principal, Role
from qgov_shared.db import create_engine, create_session_factory
from qgov_shared.http.pagination import PageRequest
from qgov_shared.settings import database_url_for
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import TestStack
from qgov_shared.testing.tokens import TestKeys, bearer
from qgov_shared.uow import UnitOfWork
from qgov_standards import SERVICE, ranking, views
from qgov_standards.dependencies import StandardsSettings
from qgov_standards.documents import bounds_of, plan_of
from qgov_standards.handlers import Context
from qgov_standards.handlers.ranking import rank_category
from qgov_standards.indicators import name_key
from qgov_standards.models import RankingPlan
from qgov_standards.policy import load_policy
from qgov_standards.queries.search import search
from qgov_standards.search import document_terms, query_terms

POLICY = load_policy()
NOW = datetime.now(UTC)
CATEGORY = "milk_powder"
PRODUCTS = ("奶粉", "大米", "拼图", "衬衫", "保鲜盒", "电饭煲", "酸奶", "面粉", "童装", "积木")
QUALIFIERS = ("全脂", "婴儿", "有机", "精选", "儿童", "木制", "纯棉", "加厚", "经典", "高钙")
PLACES = ("韶关", "广州", "深圳", "佛山", "东莞", "珠海", "汕头", "湛江", "惠州", "清远")
TRADES = ("乳业", "粮油", "玩具", "服饰", "塑料制品", "电器", "食品", "纺织", "日用品", "科技")
QUERIES = {
    "1 character": ("奶", "米", "衣", "粉"),
    "2 characters": ("奶粉", "大米", "韶关", "积木"),
    "number or code": ("GB 19644-2010", "gb19644", credit_code(7), "Q/BENCH 0001S-2025"),
}
PLAN = {
    "indicators": [
        {"name": "蛋白质", "unit": "g/100g", "direction": "higher_better", "weight": "0.5"},
        {"name": "铅（以Pb计）", "unit": "mg/kg", "direction": "lower_better", "weight": "0.5"},
    ],
    "top_n": 10,
    "top_percent": None,
    "tie_breaks": ["earliest_published"],
    "missing": "worst",
}
COLUMNS = [
    "credit_code",
    "enterprise_name",
    "region_code",
    "product_name",
    "category",
    "status",
    "version",
    "standards",
    "indicators",
    "standard_numbers",
    "standard_bases",
    "product_terms",
    "enterprise_terms",
    "terms",
    "published_at",
    "revised_at",
    "open_flags",
    "change_seq",
]
QUICK = {"declarations": 20_000, "category": 2_000, "queries": 100, "requests": 600, "runs": 1}
FULL = {"declarations": 200_000, "category": 10_000, "queries": 400, "requests": 3_000, "runs": 3}
SEARCH_ROWS = tuple(
    Row(f"(b) search, {kind}, {p}", "ms", f"search_{kind}_{p}", f"bare_{kind}_{p}", "asyncpg SQL")
    for kind in QUERIES
    for p in ("p50", "p99")
)
ROWS = (
    *SEARCH_ROWS,
    Row("(c) ranking, a category", "s", "rank_s", "bare_rank_s", "asyncpg read + rank()"),
    Row("(d) declaration filing", "req/s", "filing_rate", "baseline_rate", "complaint baseline"),
    Row("(d) filing latency p99", "ms", "filing_p99", "baseline_p99", "complaint baseline"),
    Row("(d) server CPU per request", "ms CPU", "filing_cpu", "baseline_cpu", "complaint baseline"),
)


# --- (a) seeding ------------------------------------------------------------------------------


def declaration(index: int, in_category: bool, rng: random.Random) -> tuple:
    code = credit_code(index % 5_000 + 1)
    product = f"{rng.choice(QUALIFIERS)}{rng.choice(PRODUCTS)}{index % 97}号"
    enterprise = f"{rng.choice(PLACES)}市{rng.choice(TRADES)}有限公司"
    cited = [("GB 19644-2010", "GB 19644", "食品安全国家标准 乳粉")] if index % 3 == 0 else []
    cited.append(("Q/BENCH 0001S-2025", "Q/BENCH 0001S", "企业标准"))
    standards = [
        {
            "number": n,
            "base": b,
            "title": t,
            "year": int(n[-4:]),
            "kind": "enterprise",
            "mandatory": False,
        }
        for n, b, t in cited
    ]
    indicators = []
    if in_category:
        indicators = [
            _indicator("蛋白质", "g/100g", "higher_better", f"{rng.uniform(15, 30):.2f}"),
            _indicator("铅（以Pb计）", "mg/kg", "lower_better", f"{rng.uniform(0.01, 0.5):.3f}"),
        ]
    terms = document_terms(product, enterprise, code, cited)
    at = NOW - timedelta(seconds=index)
    return (
        code,
        enterprise,
        code[2:8],
        product,
        CATEGORY if in_category else "other",
        "published",
        1,
        json.dumps(standards, ensure_ascii=False),
        json.dumps(indicators, ensure_ascii=False),
        [n for n, _, _ in cited],
        [b for _, b, _ in cited],
        terms.product,
        terms.enterprise,
        terms.every,
        at,
        at,
        0,
        index + 1,
    )


def _indicator(name: str, unit: str, direction: str, value: str) -> dict[str, Any]:
    return {
        "name": name,
        "unit": unit,
        "direction": direction,
        "value": value,
        "minimum": None,
        "maximum": None,
        "test_method": None,
        "safety": False,
    }


async def seed(connection: asyncpg.Connection, count: int, in_category: int) -> float:
    rng = random.Random(20315)
    started = time.perf_counter()
    records = [declaration(i, i < in_category, rng) for i in range(count)]
    await connection.copy_records_to_table("declarations", records=records, columns=COLUMNS)
    await connection.execute(f"SELECT setval('declaration_changes', {count})")
    await connection.execute("VACUUM ANALYZE declarations")
    return time.perf_counter() - started


# --- (b) search and (c) ranking ---------------------------------------------------------------

BARE_SEARCH = """
SELECT id, credit_code, enterprise_name, product_name, category, standard_numbers,
       CASE WHEN product_terms @> $1 THEN 0 WHEN enterprise_terms @> $1 THEN 1 ELSE 2 END AS tier,
       length(product_name) AS name_length
FROM declarations WHERE status = 'published' AND terms @> $1
ORDER BY tier, name_length, id LIMIT 51"""


async def measure_search(session_factory, connection, queries: int) -> dict[str, float]:
    figures = {}
    for kind, texts in QUERIES.items():
        ours, bare = [], []
        for index in range(queries):
            text = texts[index % len(texts)]
            started = time.perf_counter()
            terms = query_terms(text, POLICY.industry_codes)
            async with session_factory() as session:
                rows, _ = await search(session, terms, PageRequest(limit=50))
                [views.hit(row) for row in rows]
            ours.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await connection.fetch(BARE_SEARCH, terms)
            bare.append((time.perf_counter() - started) * 1000)
        for p in (50, 99):
            figures[f"search_{kind}_p{p}"] = percentile(ours, p)
            figures[f"bare_{kind}_p{p}"] = percentile(bare, p)
    return figures


async def measure_ranking(session_factory, connection) -> dict[str, float]:
    plan_row = RankingPlan(category=CATEGORY, version=1, plan=PLAN, created_at=NOW, created_by="b")
    ctx = Context(POLICY, NOW, Principal(subject="bench", role=Role.ADMIN))
    started = time.perf_counter()
    async with UnitOfWork(session_factory) as uow:
        await rank_category(plan_row, uow, ctx)
        await uow.commit()
    ours = time.perf_counter() - started
    started = time.perf_counter()
    rows = await connection.fetch(
        "SELECT id, indicators, published_at FROM declarations"
        " WHERE category = $1 AND status = 'published' ORDER BY id",
        CATEGORY,
    )
    candidates = [
        ranking.Candidate(
            row["id"],
            row["published_at"],
            {name_key(i["name"]): bounds_of(i) for i in json.loads(row["indicators"])},
        )
        for row in rows
    ]
    ranked = ranking.rank(plan_of(PLAN, 1), candidates, POLICY.units)
    return {"rank_s": ours, "bare_rank_s": time.perf_counter() - started, "ranked": len(ranked)}


# --- (d) filing -------------------------------------------------------------------------------


def filing_requests(host: str, port: int, token: str) -> list[bytes]:
    """Infant formula: the seeded catalogue limits it (lead, protein) and no plan ranks it, so
    the ranker stays idle while the floor is checked on every filing."""
    bodies = []
    for index in range(3):
        body = {
            "enterprise_name": "韶关市乳品有限公司",
            "product_name": f"婴儿配方奶粉{index}段",
            "category": "infant_formula",
            "standards": [
                {"number": "Q/SGRP 0002S-2025", "title": "婴儿配方奶粉企业标准"},
                {"number": "GB 10765-2021", "title": "食品安全国家标准 婴儿配方食品"},
            ],
            "indicators": [
                _bounds("铅（以Pb计）", "mg/kg", "lower_better", value="0.05"),
                _bounds("蛋白质", "g/100kJ", "range", minimum="0.45", maximum="0.7"),
            ],
        }
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    return [
        f"POST /api/v1/standards/declarations HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Content-Type: application/json\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in bodies
    ]


def _bounds(name: str, unit: str, direction: str, **values: str) -> dict[str, str]:
    return {"name": name, "unit": unit, "direction": direction, **values}


async def measure_filing(stack: TestStack, options: Options, work_dir: Path, run: int) -> dict:
    baseline, _ = await measure_baseline(stack, options, work_dir, run)
    keys = TestKeys()
    jwks = FastAPI()
    jwks.get("/jwks.json")(lambda: keys.jwks)
    token = bearer(keys.mint("enterprise", sub="bench", credit_code=credit_code(1)))
    database = await stack.create_database(SERVICE)
    try:
        async with HttpServer(jwks) as keys_server:
            env = server_env(stack, database) | {"QGOV_JWKS_URL": f"{keys_server.url}/jwks.json"}
            log = work_dir / f"standards-{run}.log"
            async with serve("qgov_standards.main:create_app", env, log) as server:
                raw = filing_requests(server.host, server.port, token["Authorization"][7:])
                connections = [
                    await RawConnection.open(server.host, server.port)
                    for _ in range(options.concurrency)
                ]
                senders = [connection.sender(raw) for connection in connections]
                # One request first: requests racing the service's first JWKS fetch are
                # refused as signed by an unknown key (qgov_shared.auth.JwksKeySource).
                await closed_loop(senders[:1], 1)
                warm_up = await closed_loop(senders, options.warmup)
                before = cpu_seconds(server.process.pid)
                timed = await closed_loop(senders, options.requests)
                after = cpu_seconds(server.process.pid)
                for connection in connections:
                    connection.close()
    finally:
        await stack.drop_database(database)
    if warm_up.failed or timed.failed:
        raise RuntimeError(f"filing failed: {warm_up.first_error or timed.first_error}")
    return {
        "filing_rate": timed.rate,
        "filing_p99": timed.p99_ms,
        "filing_cpu": (after - before) * 1000 / timed.answered if before and after else 0.0,
        "baseline_rate": baseline.rate,
        "baseline_p99": baseline.p99_ms,
        "baseline_cpu": baseline.server_cpu_ms,
    }


# --- one run, and the command -----------------------------------------------------------------


async def measure(stack: TestStack, args, options: Options, work_dir: Path, run: int) -> dict:
    database = await stack.create_database(SERVICE)
    settings = StandardsSettings(database_url=stack.database_url, database_name=database)
    engine = create_engine(settings)
    url = database_url_for(stack.database_url, database).replace("+asyncpg", "")
    connection = await asyncpg.connect(url)
    try:
        figures = {"seed_s": await seed(connection, args.declarations, args.category)}
        session_factory = create_session_factory(engine)
        figures |= await measure_search(session_factory, connection, args.queries)
        figures |= await measure_ranking(session_factory, connection)
    finally:
        await connection.close()
        await engine.dispose()
        await stack.drop_database(database)
    return figures | await measure_filing(stack, options, work_dir, run)


def _figure(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit == "req/s" else f"{value:,.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser("python -m bench.standards", __doc__)
    for name, help_text in (
        ("declarations", "D, declarations searched (200000)"),
        ("category", "C, declarations in the ranked category (10000)"),
        ("queries", "queries of each kind (400)"),
        ("requests", "timed filing requests (3000)"),
        ("runs", "runs to take the median of (3)"),
    ):
        parser.add_argument(f"--{name}", type=int, help=help_text)
    parser.add_argument("--quick", action="store_true", help=f"smaller sizes: {QUICK}")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parse_sizes(parser, argv, QUICK, FULL)
    options = Options(
        requests=args.requests,
        concurrency=32,
        runs=args.runs,
        warmup=min(300, args.requests),
        generator="raw",
        bodies=complaint_bodies(NOW.date()),
    )
    with stack_session(args.verbose, on_stop=stop_all) as (stack, work_dir):
        import uvloop

        async def all_runs() -> list[dict]:
            return await repeat_runs(
                stack, args.runs, lambda run: measure(stack, args, options, work_dir, run)
            )

        runs = uvloop.run(all_runs())
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    title = (
        f"Standards at {args.declarations:,} declarations, a category of {args.category:,}, "
        f"median of {len(runs)} run(s)"
    )
    table, ratios = ratio_table(title, ROWS, runs, medians, _figure)
    console.print(table)
    console.print(
        "ratio = QGov ÷ baseline, median of per-run ratios (req/s: higher is better; ms and s: "
        f"lower is better). Seeding (untimed): {medians['seed_s']:.1f}s; ranked "
        f"{medians['ranked']:,.0f} declarations. Search is in-process (no HTTP) on both sides; "
        "filing is over HTTP, the load generator sharing the cores.",
        style="dim",
        highlight=False,
    )
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians, "ratios": ratios}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
