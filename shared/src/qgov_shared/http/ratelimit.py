"""Per-client rate limits for endpoints anyone may call (filing a complaint): a token bucket
per client, refilled continuously; an empty bucket is a 429 with `Retry-After`.

A client is its verified subject when it has a token, otherwise its address — the first
`X-Forwarded-For` hop when the request comes through one of `trusted_proxies` (the gateway),
else the peer address. Buckets live in the process: a replica limits what it serves.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from qgov_shared.auth import CurrentPrincipal
from qgov_shared.http.problems import ProblemException

_MAX_CLIENTS = 100_000  # oldest buckets are forgotten first; a forgotten bucket is full again


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(
        self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = burst
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, client: str) -> float:
        """Take one request from `client`'s bucket: 0 if allowed, else seconds to wait."""
        now = self._clock()
        bucket = self._buckets.pop(client, None) or _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[client] = bucket
        if len(self._buckets) > _MAX_CLIENTS:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate


def client_of(request: Request, subject: str, trusted_proxies: frozenset[str]) -> str:
    if subject:
        return f"subject:{subject}"
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and peer in trusted_proxies:
        return f"address:{forwarded.split(',')[0].strip()}"
    return f"address:{peer}"


async def rate_limited(request: Request, principal: CurrentPrincipal) -> None:
    """Dependency: spend one of the caller's requests on the service's rate limiter."""
    spend_one(request, principal.subject)


def spend_one(request: Request, subject: str = "") -> None:
    """Spend one request of the client (`subject`, else its address) on the limiter of the
    service's `Dependencies`; a 429 problem with `Retry-After` when its bucket is empty."""
    dependencies = request.app.state.dependencies
    limiter: RateLimiter = dependencies.rate_limiter
    proxies = frozenset(dependencies.settings.trusted_proxies)
    wait = limiter.take(client_of(request, subject, proxies))
    if wait:
        raise ProblemException(
            429,
            "Too many requests from this client; try again later.",
            headers={"Retry-After": str(math.ceil(wait))},
        )
