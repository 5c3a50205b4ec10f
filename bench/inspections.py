"""The inspections draw (双随机) over a large candidate list, beside a raw sort of the same list.

    python -m bench.inspections [--candidates 1000000] [--pool 100] [--runs 3] [--json FILE]

Pure CPU, no stack: the draw is the service's own `qgov_inspections.draw`, given what the
service gives it at a draw (candidates with credit grades, spread 70/20/8/2 % over A-D, the
policy's default ratios, a pool of inspectors, two per check):

    the whole draw: canonical list + its SHA-256 + enterprises + inspectors   vs  sorted(codes)
    the enterprises alone (one HMAC-SHA256 per candidate, sorted per grade)   vs  sorted(codes)

The baseline is `sorted()` of the same candidates' credit codes, in the same shuffled order,
right before each measure. Prints medians over the runs and QGov ÷ baseline ratios (the
median of per-run ratios; lower is better for seconds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from bench.common import Row, bench_parser, console, parse_sizes, ratio_table
from qgov_inspections.draw import (
    Candidate,
    candidate_list,
    draw_enterprises,
    draw_inspectors,
    list_hash,
)
from qgov_inspections.policy import load_policy
from qgov_shared.uscc import compute_check_character

now = time.perf_counter
GRADE_SHARES = {"A": 70, "B": 20, "C": 8, "D": 2}
SEED = "9e" * 32

ROWS = (
    Row(
        "whole draw (list, hash, enterprises, inspectors)",
        "s",
        "draw_s",
        "sort_s",
        "sorted() of the candidates' codes",
    ),
    Row(
        "enterprises drawn",
        "s",
        "enterprises_s",
        "sort_again_s",
        "sorted() of the candidates' codes",
    ),
)

QUICK = {"candidates": 100_000, "runs": 1}
FULL = {"candidates": 1_000_000, "runs": 3}


def candidates(count: int) -> list[Candidate]:
    generator = random.Random(20261102)
    bodies = [f"91{440000 + n % 9999:06d}{n:010d}"[:17] for n in range(count)]
    codes = [body + compute_check_character(body) for body in bodies]
    generator.shuffle(codes)
    grades = generator.choices(list(GRADE_SHARES), weights=list(GRADE_SHARES.values()), k=count)
    return [Candidate(code, grade) for code, grade in zip(codes, grades, strict=True)]


def measure(listed: list[Candidate], pool: list[str]) -> dict[str, float]:
    ratios = load_policy().default_ratios
    codes = [c.credit_code for c in listed]
    started = now()
    sorted(codes)
    figures = {"sort_s": now() - started}
    started = now()
    text = candidate_list(listed)
    list_hash(text)
    drawn = draw_enterprises(SEED, listed, ratios)
    draw_inspectors(SEED, [c.credit_code for c in drawn], pool, (), 2)
    figures["draw_s"] = now() - started
    started = now()
    sorted(codes)
    figures["sort_again_s"] = now() - started
    started = now()
    draw_enterprises(SEED, listed, ratios)
    figures["enterprises_s"] = now() - started
    figures["drawn"] = len(drawn)
    return figures


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = bench_parser("python -m bench.inspections", __doc__)
    add = parser.add_argument
    add("--candidates", type=int, help="N, candidates in the list (1000000)")
    add("--pool", type=int, default=100, help="inspectors in the pool (100)")
    add("--runs", type=int, help="runs to take the median of (3)")
    add("--quick", action="store_true", help=f"smaller sizes for a smoke run: {QUICK}")
    add("--json", type=Path, help="also write every figure to this JSON file")
    args = parse_sizes(parser, argv, QUICK, FULL)
    if min(args.candidates, args.pool, args.runs) <= 0:
        parser.error("sizes must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_options(argv)
    listed = candidates(args.candidates)
    pool = [f"SG-{n:04d}" for n in range(args.pool)]
    runs = []
    for run in range(1, args.runs + 1):
        runs.append(measure(listed, pool))
        console.print(f"[dim]run {run}/{args.runs}: {runs[-1]['drawn']:,} drawn[/dim]")
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    table, ratios = ratio_table(
        f"inspections draw: {args.candidates:,} candidates, pool of {args.pool}, "
        f"{args.runs} run(s), {os.cpu_count()} cores",
        ROWS,
        runs,
        medians,
        lambda value, unit: f"{value:.2f}",
    )
    console.print(table)
    if args.json:
        figures = {"runs": runs, "medians": medians, "ratios": ratios}
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
