"""What every benchmark shares: the stack's lifecycle, and the arithmetic of its figures."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import math
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from aiokafka import ConsumerRebalanceListener
from rich.console import Console
from rich.table import Table

from qgov_shared.heap import freeze_startup_heap, thaw_heap
from qgov_shared.testing.stack import TestStack, start_stack

# Pipes get a fixed width, so tables stay whole in logs and CI output.
console = Console(width=None if sys.stdout.isatty() else 120)


@contextlib.contextmanager
def stack_session(
    verbose: bool, *, on_stop: Callable[[], None] | None = None, keep_logs_on_error: bool = False
) -> Iterator[tuple[TestStack, Path]]:
    """Start the stack in a fresh folder; always stop it (and `on_stop`), also on Ctrl-C or a
    plain `kill`, because the broker and servers run in their own sessions and would outlive
    us. The folder goes too, unless stopping failed (or the run failed and logs are kept)."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    work_dir = Path(tempfile.mkdtemp(prefix="qgov-bench-"))
    stop_stack: Callable[[], object] | None = None
    failed = False
    try:
        stack, stop_stack = start_stack(work_dir)
        yield stack, work_dir
    except BaseException:
        failed = True
        raise
    finally:
        if on_stop is not None:
            on_stop()
        _stop(stop_stack, work_dir, keep=failed and keep_logs_on_error)


def _stop(stop_stack: Callable[[], object] | None, work_dir: Path, *, keep: bool) -> None:
    try:
        if stop_stack is not None:
            stop_stack()
    except Exception as error:
        console.print(f"[red]could not stop the stack cleanly ({error!r}); see {work_dir}[/red]")
        return
    if keep:
        shutil.rmtree(work_dir / "pgdata", ignore_errors=True)
        console.print(f"[yellow]logs kept in {work_dir}[/yellow]")
    else:
        shutil.rmtree(work_dir, ignore_errors=True)


@contextlib.contextmanager
def as_the_service_runs() -> Iterator[None]:
    """The collector as a service's lifespan sets it (`qgov_shared.heap`), while one of its
    mechanisms runs in this process: what the benchmark built before (seeded data, the events
    it produced) is then left out of the collector's walks, as a service's start-up heap is,
    and the figures measure the mechanism rather than this process's heap."""
    thresholds = gc.get_threshold()
    freeze_startup_heap()
    try:
        yield
    finally:
        thaw_heap()
        gc.set_threshold(*thresholds)


def percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else math.nan
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


def ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else math.nan


def ratio_text(value: float) -> str:
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


@dataclass(frozen=True)
class Row:
    """One line of a ratio table: QGov's figure under `qgov`, its baseline's under `baseline`."""

    label: str
    unit: str
    qgov: str
    baseline: str
    baseline_label: str


def ratio_table(
    title: str,
    rows: tuple[Row, ...],
    runs: list[dict[str, float]],
    medians: dict[str, float],
    figure: Callable[[float, str], str],
) -> tuple[Table, dict[str, float]]:
    """The table every benchmark prints (figure, baseline, median ratio, each run's ratio);
    and the median ratios by figure, for --json (a figure shown twice, against its baseline and
    then against a floor, keeps its first row's: the one its target names)."""
    table = Table(title=title)
    for name in ("measure", "unit", "QGov", "baseline", "ratio", "per run", "baseline is"):
        justify = "right" if name in ("QGov", "baseline", "ratio") else "left"
        table.add_column(name, justify=justify, no_wrap=name == "measure")
    ratios: dict[str, float] = {}
    for row in rows:
        per_run = [ratio(run[row.qgov], run[row.baseline]) for run in runs]
        median = statistics.median(per_run)
        ratios.setdefault(row.qgov, median)
        table.add_row(
            row.label,
            row.unit,
            figure(medians[row.qgov], row.unit),
            figure(medians[row.baseline], row.unit),
            ratio_text(median),
            " ".join(ratio_text(value) for value in per_run),
            row.baseline_label,
        )
    return table, ratios


async def repeat_runs(
    stack: TestStack, count: int, measure_one: Callable[[int], Awaitable[dict]]
) -> list[dict]:
    """`measure_one(run)` for each run, timed and told; the migrated templates go at the end."""
    runs = []
    try:
        for run in range(1, count + 1):
            started = time.perf_counter()
            runs.append(await measure_one(run))
            console.print(f"[dim]run {run}/{count} took {time.perf_counter() - started:.1f}s[/dim]")
    finally:
        await stack.drop_templates()
    return runs


class PartitionsAssigned(ConsumerRebalanceListener):
    """Sets `event` once the consumer has partitions: when a baseline consumer can start."""

    def __init__(self) -> None:
        self.event = asyncio.Event()

    async def on_partitions_revoked(self, revoked) -> None:
        pass

    async def on_partitions_assigned(self, assigned) -> None:
        if assigned:
            self.event.set()


def bench_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """A benchmark's command line, its module docstring as the help text."""
    return argparse.ArgumentParser(
        prog=prog, description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def parse_sizes(
    parser: argparse.ArgumentParser,
    argv: list[str] | None,
    quick: dict[str, object],
    full: dict[str, object],
) -> argparse.Namespace:
    """Parse `argv`; every size not given takes its value from `quick` (with --quick) or
    `full`, so explicit arguments always win."""
    args = parser.parse_args(argv)
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args
