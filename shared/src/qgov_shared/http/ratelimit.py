"""Per-client rate limits for endpoints anyone may call (filing a complaint): a token bucket
per client, refilled continuously; an empty bucket is a 429 with `Retry-After`.

A client is its verified subject when it has a token, otherwise its address (`client_address`).
Buckets live in the process: a replica limits what it serves.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Address, IPv6Network, ip_address

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


Networks = Iterable[IPv4Network | IPv6Network]


def client_address(request: Request, trusted_proxies: Networks) -> str:
    """The caller's address: the peer, unless the peer is a trusted proxy; then, walking the
    `X-Forwarded-For` chain from the right, the first hop that is not one. Each trusted proxy
    appends the address it was called from, so the hops right of that one are vouched for;
    everything left of it was written by the caller and may name anyone."""
    peer = request.client.host if request.client else "unknown"
    forwarded = ",".join(request.headers.getlist("x-forwarded-for")).split(",")
    chain = [*(hop.strip() for hop in forwarded if hop.strip()), peer]
    proxies = tuple(trusted_proxies)
    for hop in reversed(chain):
        if not _is_one_of(hop, proxies):
            return hop
    return chain[0]  # proxies all the way: the farthest one is the caller


def _is_one_of(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False  # not an address, so no proxy of ours
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # a dual-stack listener shows IPv4 peers as ::ffff:a.b.c.d
    return any(ip in network for network in networks)


def client_of(request: Request, subject: str, trusted_proxies: Networks) -> str:
    if subject:
        return f"subject:{subject}"
    return f"address:{client_address(request, trusted_proxies)}"


async def rate_limited(request: Request, principal: CurrentPrincipal) -> None:
    """Dependency: spend one of the caller's requests on the service's rate limiter."""
    spend_one(request, principal.subject)


def spend_one(request: Request, subject: str = "") -> None:
    """Spend one request of the client (`subject`, else its address) on the limiter of the
    service's `Dependencies`; a 429 problem with `Retry-After` when its bucket is empty."""
    dependencies = request.app.state.dependencies
    limiter: RateLimiter = dependencies.rate_limiter
    wait = limiter.take(client_of(request, subject, dependencies.settings.trusted_proxies))
    if wait:
        raise ProblemException(
            429,
            "Too many requests from this client; try again later.",
            headers={"Retry-After": str(math.ceil(wait))},
        )
