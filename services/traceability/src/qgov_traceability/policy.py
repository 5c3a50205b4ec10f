"""The traceability policy (`policy.toml`) as values: recall reporting deadlines, what a
compliance certificate commits to, and how far tracing walks, with the legal basis of each."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from qgov_shared.policy import Table, load_toml_policy

POLICY_FILE = Path(__file__).with_name("policy.toml")


@dataclass(frozen=True)
class RecallRules:
    progress_report_interval_days: int
    summary_due_working_days: int


@dataclass(frozen=True)
class TracingBounds:
    default_depth: int
    max_depth: int
    recall_depth: int
    public_route_depth: int


@dataclass(frozen=True)
class Policy:
    recall: RecallRules
    commitment_bases: dict[str, str]
    commitments: dict[str, str]
    tracing: TracingBounds
    basis: dict[str, str]
    """Each legal rule's source, by the rule's name."""


def load_policy(path: Path = POLICY_FILE) -> Policy:
    return load_toml_policy(path, _parse)


def _parse(raw: Table) -> Policy:
    recall = RecallRules(**raw["recall"])
    tracing = TracingBounds(**raw["tracing"])
    if any(getattr(recall, f.name) < 1 for f in fields(recall)):
        raise ValueError("recall deadlines are at least one day")
    if not 1 <= tracing.default_depth <= tracing.max_depth:
        raise ValueError("tracing: 1 <= default_depth <= max_depth")
    certificate = raw["certificate"]
    legal = {f.name for f in fields(RecallRules)} | {"commitment_bases", "commitments"}
    basis = dict(raw["basis"])
    if uncited := sorted(legal - {name for name, text in basis.items() if str(text).strip()}):
        raise ValueError(f"basis: no source cited for {uncited}")
    if unknown := sorted(set(basis) - legal):
        raise ValueError(f"basis: cites rules the policy does not have: {unknown}")
    return Policy(
        recall=recall,
        commitment_bases=dict(certificate["commitment_bases"]),
        commitments=dict(certificate["commitments"]),
        tracing=tracing,
        basis=basis,
    )
