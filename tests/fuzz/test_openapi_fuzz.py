"""Every installed service, fuzzed through its OpenAPI document on the real stack: whatever a
caller sends, the answer is documented (status code, content type and body) and never a 5xx.
The gateway is fuzzed through the whole platform's document, the services it routes to
running behind it: its own operations as every caller, those it forwards as the anonymous
caller (each service is fuzzed as every caller on its own). A new service joins by being
installed."""

from __future__ import annotations

from typing import Any

import pytest

from qgov_shared.service import ServiceSpec, installed_services
from qgov_shared.testing.fuzz import (
    callers,
    fuzz_as_each,
    report,
    service_parts,
    serving,
    unbounded_integers,
)
from qgov_shared.testing.stack import TestStack
from qgov_shared.testing.tokens import TestKeys

KEYS = TestKeys()
ENTERPRISE = "91440203MA0000001T"  # in 440203, within the regulator's 440200
# Enough to reach each operation's boundaries; the seed makes every run send the same.
MAX_EXAMPLES = 5
SEED = 20315

# Settings a fuzzed service needs beyond the test kit's.
_SETTINGS: dict[str, dict[str, Any]] = {
    # Subscriptions the fuzzer registers name made-up receivers: nothing may be sent to them.
    # A credit-feed stream ends after one look, not the 15 minutes a client gets.
    "gateway": {
        "run_webhook_dispatcher": False,
        "feed_stream_max_s": 0.05,
        "feed_poll_interval_s": 0.01,
    },
}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("spec", installed_services(), ids=lambda spec: spec.name)
async def test_no_input_gets_a_server_error_or_an_undocumented_answer(
    stack: TestStack, spec: ServiceSpec
) -> None:
    async with serving(stack, spec, KEYS, lambda name: _SETTINGS.get(name, {})) as target:
        findings = await fuzz_as_each(
            target, callers(KEYS, ENTERPRISE), max_examples=MAX_EXAMPLES, seed=SEED
        )
    if findings:
        pytest.fail(report(findings), pytrace=False)


@pytest.mark.parametrize("spec", installed_services(), ids=lambda spec: spec.name)
def test_every_integer_a_caller_sends_fits_a_bigint(spec: ServiceSpec) -> None:
    """Schemathesis rarely tries integers past 2^63, which asyncpg cannot encode (a 500): so
    every integer parameter or body field must declare a bound within BIGINT, as RowId does."""
    factory, _ = service_parts(spec)
    unbounded = sorted(unbounded_integers(factory().openapi()))
    assert not unbounded, f"integers without a BIGINT bound: {unbounded}"
