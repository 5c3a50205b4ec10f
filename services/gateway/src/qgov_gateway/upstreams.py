"""The gateway's clients of the services behind it: one pooled HTTP client per service, which
keeps no cookies, and a circuit breaker per service, so a service that is down is refused at
once instead of being waited for."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import httpx

from qgov_shared.http.clients import pooled_client


class CircuitOpen(Exception):
    """The breaker refused the request without trying the service."""


@dataclass
class CircuitBreaker:
    """Closed, it lets every request through and counts outages in a row (a transport failure
    or a timeout: any answer, a 500 too, shows the service is there). At `threshold` it opens
    and refuses every request for `cooldown_s`. Then it is half-open: one probe goes through
    while the others are still refused; an answer closes it, an outage opens it again."""

    threshold: int = 5
    cooldown_s: float = 10.0
    clock: Callable[[], float] = time.monotonic
    # Failures to reach the service or to hear from it; not a request the gateway itself
    # could not put on the wire (httpx.LocalProtocolError), which says nothing of the service.
    outages: tuple[type[BaseException], ...] = (
        httpx.NetworkError,
        httpx.TimeoutException,
        httpx.RemoteProtocolError,
    )
    failures: int = 0
    opened_at: float | None = None
    probing: bool = False

    @property
    def state(self) -> Literal["closed", "open", "half-open"]:
        if self.opened_at is None:
            return "closed"
        cooling = self.clock() - self.opened_at < self.cooldown_s
        return "open" if cooling or self.probing else "half-open"

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        """Around one request: raises CircuitOpen instead of letting it through, and learns
        from how the request ends."""
        state = self.state
        if state == "open":
            raise CircuitOpen()
        is_probe = state == "half-open"
        self.probing = self.probing or is_probe
        try:
            yield
        except self.outages:
            self.failures += 1
            if self.failures >= self.threshold:
                self.opened_at = self.clock()
            raise
        else:
            self.failures, self.opened_at, self.probing = 0, None, False
        finally:
            # Whatever ended the probe (an outage, or a cancelled request: no verdict), the
            # next request may probe; the cooldown has started again after an outage.
            if is_probe:
                self.probing = False


@dataclass
class Upstreams:
    """One pooled client and one breaker per service."""

    clients: dict[str, httpx.AsyncClient]
    breakers: dict[str, CircuitBreaker] = field(default_factory=dict)

    def breaker(self, service: str) -> CircuitBreaker:
        return self.breakers.setdefault(service, CircuitBreaker())

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()


def upstream_clients(urls: dict[str, str], timeout_s: float) -> dict[str, httpx.AsyncClient]:
    return {service: pooled_client(url, timeout_s) for service, url in urls.items()}
