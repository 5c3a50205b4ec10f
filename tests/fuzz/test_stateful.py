"""Schemathesis's stateful phase across the whole platform's document, as the gateway serves it
with every service behind it: chains of calls that feed one answer's ids into the next
operation (create, read it back, move it on), along the links schemathesis infers from the
response schemas and path parameters (FastAPI documents declare none), as a regulator and as
an enterprise. Every answer is documented and none is a 5xx. The budget is small and fixed
by the seed, so the run is short and sends the same each time."""

from __future__ import annotations

import asyncio

import pytest
from schemathesis.engine import events

from qgov_shared.service import find_service
from qgov_shared.testing.fuzz import Caller, callers, fuzz, report, serving
from qgov_shared.testing.stack import TestStack
from qgov_shared.testing.tokens import TestKeys

KEYS = TestKeys()
ENTERPRISE = "91440203MA0000001T"  # in 440203, within the regulator's 440200
SEED = 20315
MAX_EXAMPLES = 10  # scenarios per caller, each a chain of a few linked calls
SETTINGS = {"gateway": {"run_webhook_dispatcher": False, "feed_stream_max_s": 0.05}}


class Steps:
    """What the stateful phase did: the links it inferred, and the calls it chained."""

    def __init__(self) -> None:
        self.inferred = 0
        self.calls = 0

    def __call__(self, event: events.EngineEvent) -> None:
        if isinstance(event, events.PhaseStarted) and event.payload is not None:
            self.inferred += event.payload.inferred_transitions
        if isinstance(event, events.ScenarioFinished) and event.phase.value == "stateful":
            self.calls += len(event.recorder.interactions)


async def _run(target, caller: Caller) -> tuple[list, Steps]:
    steps = Steps()
    findings = await asyncio.to_thread(
        fuzz,
        target.document,
        target.url,
        caller,
        max_examples=MAX_EXAMPLES,
        seed=SEED,
        phases=("stateful",),
        # Valid inputs, so creations succeed and their ids feed the next calls; the invalid
        # ones are the other phases' (test_openapi_fuzz).
        mode="positive",
        on_event=steps,
    )
    return findings, steps


@pytest.mark.timeout(300)
async def test_chained_calls_across_the_platform_get_documented_answers(stack: TestStack) -> None:
    gateway = find_service("gateway")
    every = {caller.role: caller for caller in callers(KEYS, ENTERPRISE)}
    async with serving(stack, gateway, KEYS, lambda name: SETTINGS.get(name, {})) as target:
        runs = {role: await _run(target, every[role]) for role in ("regulator", "enterprise")}
    findings = [finding for found, _ in runs.values() for finding in found]
    if findings:
        pytest.fail(report(findings), pytrace=False)
    for role, (_, steps) in runs.items():
        assert steps.inferred > 10, f"{role}: links inferred {steps.inferred}"
        assert steps.calls > 10, f"{role}: calls chained {steps.calls}"
