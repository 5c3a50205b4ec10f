"""A running service keeps what its start-up built out of the garbage collector's walks
(`qgov_shared.heap`), and gives it back when it stops."""

from __future__ import annotations

import gc

from qgov_demo import SERVICE
from qgov_demo.main import DemoSettings, create_app
from qgov_shared.heap import THRESHOLDS
from qgov_shared.testing.stack import TestStack, run_service


async def test_a_running_service_has_its_startup_heap_frozen_until_it_stops(
    stack: TestStack,
) -> None:
    async with run_service(stack, SERVICE, create_app, DemoSettings) as demo:
        assert (await demo.client.get("/healthz")).status_code == 200
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_freeze_count() == 0
