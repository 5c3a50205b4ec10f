"""Faults across the whole platform under a steady load, one at a time: afterwards nothing is
lost, nothing is doubled, no request got a 5xx but the documented 503 (which its client
retried), nothing is parked in a dead-letter topic, and the platform recovered by itself.

The load and its ledger are in `load.py` and `ledger.py`, the faults and their plans in
`faults.py`; the table of results is printed at the end of the run.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from qgov_shared.testing.plugin import table_row

from .faults import FAULTS, PLAN
from .ledger import balanced, dead_letters
from .load import REQUEST_TIMEOUT_S, Client, Enterprise, Tally, complaint, onboard, steady_load
from .platform import Platform

FIRMS_PER_FAULT = 3
LIMIT_S = 3 * PLAN.patience_s + PLAN.warm_up_s + PLAN.fault_s + PLAN.cool_down_s


@pytest.mark.timeout(LIMIT_S)
@pytest.mark.parametrize("name", list(FAULTS))
async def test_a_fault_loses_nothing_and_doubles_nothing(
    platform: Platform, name: str, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    async with httpx.AsyncClient(base_url=platform.gateway, timeout=REQUEST_TIMEOUT_S) as http:
        client = Client(http, tally, PLAN.patience_s)
        first = 10 * (list(FAULTS).index(name) + 1)
        firms = [await onboard(client, platform, first + n) for n in range(FIRMS_PER_FAULT)]
        probe = await onboard(client, platform, first + FIRMS_PER_FAULT)
        stop = asyncio.Event()
        load = asyncio.create_task(steady_load(client, platform, firms, f"L{first}", stop))
        try:
            await asyncio.sleep(PLAN.warm_up_s)
            what = await FAULTS[name](platform, PLAN)
            recovery_s = await time_to_recover(client, platform, probe)
            await asyncio.sleep(PLAN.cool_down_s)
        finally:
            stop.set()
            await load
    ledger, _ = await balanced(platform, tally, within=PLAN.patience_s)
    parked = await dead_letters(platform)
    table_row(
        request,
        "faults: nothing lost, nothing doubled",
        {
            "fault": name,
            "requests": tally.requests,
            "lost": len(ledger.lost),
            "doubled": len(ledger.doubled),
            "5xx": tally.server_errors,
            "503 (retried)": tally.statuses[503],
            "recovered in": f"{recovery_s:.1f}s",
        },
    )

    done = {
        "closed complaints": tally.closed,
        "records": tally.records,
        "declarations": tally.declarations,
        "captures": tally.captures,
    }
    assert all(done.values()), f"the load did none of {[k for k, v in done.items() if not v]}"
    assert tally.failures == [], f"{what}: operations given up"
    assert (ledger.lost, ledger.doubled) == ([], []), what
    assert tally.server_errors == 0, f"{what}: {tally.statuses}"
    assert parked == [], f"{what}: messages parked in dead-letter topics"


async def time_to_recover(client: Client, platform: Platform, probe: Enterprise) -> float:
    """From the fault's end until a new complaint is counted in its respondent's profile: the
    whole way, through the gateway, complaints, the broker and the gateway's read model."""
    healed = time.monotonic()
    receipt = await client.send(
        "POST", "/api/v1/complaints", expect=201, json=complaint(probe, "probe")
    )
    client.tally.complaints[receipt["tracking_number"]] = probe.code
    path = f"/api/v1/enterprises/{probe.code}/profile"
    while True:
        answer = await client.send("GET", path, expect=200, headers=platform.regulator)
        if answer["complaints"]["complaints_received"] == 1:
            return time.monotonic() - healed
        if time.monotonic() - healed > PLAN.patience_s:
            raise AssertionError(
                f"the probe's complaint not in its profile after {PLAN.patience_s}s"
            )
        await asyncio.sleep(0.1)
