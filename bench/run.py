"""List and run QGov's benchmarks.

    python -m bench.run                 run every benchmark
    python -m bench.run backbone        run only those named
    python -m bench.run --list          list them
    python -m bench.run --quick         smaller sizes, for a smoke run

Each benchmark is a standalone module, also runnable as `python -m <module> --help`. This runner
starts each in its own process, one after another, so each gets a fresh stack and event loop and
a crash in one does not stop the others, and ends with every target of `bench.targets` beside
what was measured. To add a benchmark, write its module (runnable with `python -m`, accepting
`--quick` for smaller sizes and `--json FILE` for its figures) and add one line to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import console
from bench.targets import summary


@dataclass(frozen=True)
class Benchmark:
    module: str
    description: str


# name → benchmark. Every module runs as `python -m <module>` and accepts `--quick`.
BENCHMARKS = {
    "backbone": Benchmark("bench.backbone", "outbox relay, consumer, latency vs raw clients"),
    "complaints": Benchmark("bench.complaints", "complaint filing over HTTP vs a bare asyncpg app"),
    "credit": Benchmark("bench.credit", "credit rebuild and event intake at 10k/1M vs raw reads"),
    "gateway": Benchmark("bench.gateway", "profile reads, feed pages at depth, end-to-end latency"),
    "brands": Benchmark(
        "bench.brands", "credit listing → award suspended, vs raw produce → consume"
    ),
    "inspections": Benchmark("bench.inspections", "the draw from 1M candidates vs a raw sort"),
    "memory": Benchmark("bench.memory", "every service's RSS idle and after a load"),
    "replicas": Benchmark("bench.replicas", "two consumer replicas on 6 partitions vs one"),
    "standards": Benchmark(
        "bench.standards", "search at 200k, ranking 10k, declaration filing vs bare baselines"
    ),
    "traceability": Benchmark(
        "bench.traceability", "EPCIS capture vs COPY; tracing and MATCH_anyEPC at 10k/1M events"
    ),
    "web": Benchmark("bench.web", "home, enterprise, work-queue and search pages' server time"),
}

_STOP_GRACE_S = 30.0


def run_benchmark(benchmark: Benchmark, *, quick: bool, figures: Path) -> int:
    """Run one benchmark in a child process, its figures written to `figures`; its exit code."""
    command = [sys.executable, "-m", benchmark.module, "--json", str(figures)]
    command += ["--quick"] if quick else []
    process = subprocess.Popen(command)
    try:
        return process.wait()
    except KeyboardInterrupt:
        # The child got the same Ctrl-C and is stopping its stack: let it finish, within reason.
        try:
            process.wait(timeout=_STOP_GRACE_S)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):
            process.terminate()
            process.wait()
        raise


def main(argv: list[str] | None = None) -> int:
    names = list(BENCHMARKS)
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Run QGov's benchmarks (all, or those named).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"one of: {', '.join(names)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args(argv)

    unknown = sorted(set(args.names) - set(names))
    if unknown:
        parser.error(f"no benchmark named {', '.join(unknown)}; known: {', '.join(names)}")
    if args.list:
        width = max(len(name) for name in names)
        for name, benchmark in BENCHMARKS.items():
            print(f"{name:<{width}}  {benchmark.description}  (python -m {benchmark.module})")
        return 0

    selected = [name for name in names if not args.names or name in args.names]
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="qgov-bench-") as folder:
        figures = {name: Path(folder) / f"{name}.json" for name in selected}
        try:
            for name in selected:
                benchmark = BENCHMARKS[name]
                print(f"\n=== {name}: {benchmark.description}", flush=True)
                started = time.monotonic()
                code = run_benchmark(benchmark, quick=args.quick, figures=figures[name])
                results.append((name, code, time.monotonic() - started))
        except KeyboardInterrupt:
            print("\ninterrupted", file=sys.stderr)
            return 130

        print("\n=== summary")
        for name, code, seconds in results:
            print(f"{name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {seconds:.0f}s")
        console.print(summary(figures))
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
