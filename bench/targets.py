"""The speed and memory targets `make bench` is held to, as data, and the summary table that
shows each measured figure beside its baseline, its ratio and its target.

Each benchmark writes its figures with `--json` ({"medians": ..., "ratios": ...}); a target names
the benchmark, the figure and what it must satisfy. The performance issue (#10) set the first
ones; the services' issues add theirs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rich.table import Table

from bench.common import ratio_text


@dataclass(frozen=True)
class Target:
    path: str
    benchmark: str
    qgov: str  # a key of the benchmark's medians
    baseline: str | None  # the baseline's key in the same medians (None: an absolute target)
    unit: str
    # "ratio" compares qgov ÷ baseline (the benchmark's own median of per-run ratios, read from
    # `ratios` under `ratio_key`); "value" compares the figure itself.
    measure: Literal["ratio", "value"]
    at_least: float | None = None
    at_most: float | None = None
    ratio_key: str | None = None

    def wanted(self) -> str:
        what = "ratio" if self.measure == "ratio" else self.unit
        bound = f"≥ {self.at_least:g}" if self.at_least is not None else f"≤ {self.at_most:g}"
        return f"{what} {bound}"

    def met(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.at_least is not None and value < self.at_least:
            return False
        return self.at_most is None or value <= self.at_most


TARGETS: tuple[Target, ...] = (
    Target("complaint filing over HTTP", "complaints", "service_rate", "baseline_rate", "req/s",
           "ratio", at_least=0.35, ratio_key="rate"),
    Target("complaint filing, server CPU", "complaints", "service_cpu", "baseline_cpu", "ms CPU",
           "value", at_most=1.2),
    Target("profile read", "gateway", "profile_rate", "baseline_rate", "req/s", "ratio",
           at_least=0.5),
    Target("credit intake", "credit", "intake_rate", "raw_consume", "events/s", "value",
           at_least=5_000),
    Target("credit rebuild", "credit", "rebuild_rate", "raw_assess_rate", "ent./s", "ratio",
           at_least=0.7),
    Target("EventConsumer drain", "backbone", "consumer_drain", "raw_consume", "events/s",
           "ratio", at_least=0.15),
    Target("outbox relay drain", "backbone", "relay_drain", "raw_produce", "events/s", "ratio",
           at_least=0.5),
    Target("UoW insert, relay on", "backbone", "uow_insert", "pg_insert", "inserts/s", "ratio",
           at_least=0.6),
    Target("UoW commit → ack p99", "backbone", "uow_ack_p99", "pg_ack_p99", "ms", "ratio",
           at_most=1.5),
    Target("commit → consumer effect p99", "backbone", "e2e_p99", "raw_e2e_p99", "ms", "value",
           at_most=100),
    Target("complaint filed → profile p99", "gateway", "complaint_p99", "raw_p99", "ms", "value",
           at_most=40),
    Target("regulator's record → feed p99", "gateway", "record_p99", "raw_p99", "ms", "value",
           at_most=50),
    Target("largest service RSS after load", "memory", "largest_after_mb", None, "MB", "value",
           at_most=200),
    # Production deployment (#16): a second replica must not slow the group down.
    Target("two consumer replicas drain", "replicas", "two_rate", "one_rate", "events/s",
           "ratio", at_least=0.9),
    # The services' own issues (#11–#15).
    Target("forward trace p99, 1M ÷ 10k events", "traceability", "trace_p99_l", "trace_p99_s",
           "ms", "ratio", at_most=2),
    Target("MATCH_anyEPC p99, 1M ÷ 10k events", "traceability", "match_p99_l", "match_p99_s",
           "ms", "ratio", at_most=2),
    # "suspended automatically within seconds" (#12), read as two seconds at the p99.
    Target("listing → award suspended on the profile p99", "brands", "profile_p99", "raw_p99",
           "ms", "value", at_most=2_000),
    Target("home page p99", "web", "home_p99", "home_api_p99", "ms", "value", at_most=100),
    Target("enterprise page p99", "web", "enterprise_p99", "enterprise_api_p99", "ms", "value",
           at_most=100),
    Target("work-queue page p99", "web", "queue_p99", "queue_api_p99", "ms", "value",
           at_most=100),
)  # fmt: skip


def summary(results: dict[str, Path]) -> Table:
    """One row per target whose benchmark ran: its figure, baseline, ratio, target and verdict."""
    table = Table(title="QGov against its targets (medians; ratios are QGov ÷ baseline)")
    for name in ("path", "QGov", "baseline", "ratio", "target", "met"):
        table.add_column(name, justify="right" if name in ("QGov", "baseline", "ratio") else "left")
    for target in TARGETS:
        figures = _figures(results.get(target.benchmark))
        if figures is None:
            continue
        medians, ratios = figures.get("medians", {}), figures.get("ratios", {})
        ours = medians.get(target.qgov, math.nan)
        base = medians.get(target.baseline, math.nan) if target.baseline else math.nan
        ratio = ratios.get(target.ratio_key or target.qgov, _divide(ours, base))
        judged = ratio if target.measure == "ratio" else ours
        table.add_row(
            target.path,
            f"{ours:,.1f} {target.unit}",
            f"{base:,.1f}" if target.baseline else "—",
            ratio_text(ratio) if target.baseline else "—",
            target.wanted(),
            "yes" if target.met(judged) else "NO",
        )
    return table


def _figures(path: Path | None) -> dict | None:
    if path is None or not path.exists():
        return None
    return json.loads(path.read_text())


def _divide(ours: float, base: float) -> float:
    return ours / base if base and not math.isnan(base) else math.nan
