"""The garbage collector's settings for a long-running service process.

CPython's collector walks every tracked object of a generation each time it collects it. A
service's start-up leaves ~150k objects that live as long as the process (modules, models,
routes, compiled SQL, the policy); under the filing benchmark a full collection came every one
to two seconds and walked all of them, ~65 ms each, with every request in flight waiting.
Frozen after start-up, they are left out of every collection (memory is still freed by
reference counting).

At the default young threshold (700) the young generation was collected every nine requests
or so, with 32 requests in flight: whatever they still held was promoted to the older
generations, to die there at a higher cost. At 7,000, young collections (and promotions) are a
tenth as many.

Measured under the filing load (`bench/README.md`, seventh session): time in collections 2.6 s
→ 0.3 s over 26,000 requests; `bench.complaints`, alternating with the code before, two runs of
3 each: server CPU per request 1.72 and 1.70 → 1.52 and 1.47 ms, p99 159 and 157 → 116 and
112 ms.
"""

from __future__ import annotations

import gc

THRESHOLDS = (7_000, 20, 20)
"""Young, middle and old generations' thresholds (CPython's defaults: 700, 10, 10)."""


def freeze_startup_heap() -> None:
    """Call once the process is built, before it takes work."""
    gc.set_threshold(*THRESHOLDS)
    gc.freeze()


def thaw_heap() -> None:
    """Call when the process stops serving: what start-up built may be garbage now (a test
    process starts and stops many services) and collectable again."""
    gc.unfreeze()
