"""The pooled HTTP client one service keeps to another (the gateway to each service, the web
pages to the gateway), shared by every caller it serves."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

SERVER_KEEPALIVE_S = 5.0
"""How long uvicorn (our servers) keeps an idle connection open: its `timeout_keep_alive`."""

_LIMITS = httpx.Limits(
    max_connections=100,
    max_keepalive_connections=20,
    # Below the server's: a request sent on a connection just as the server closes it for
    # idleness fails in transport, so the client lets go of an idle connection first.
    keepalive_expiry=SERVER_KEEPALIVE_S - 1,
)


def pooled_client(base_url: str, timeout_s: float) -> httpx.AsyncClient:
    """A client for many callers at once. It keeps no cookies (no domain is allowed), or it
    would hand one visitor's session to the next."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=timeout_s,
        limits=_LIMITS,
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
    )
