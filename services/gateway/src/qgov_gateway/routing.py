"""Routing the platform's public paths to the service that owns them, over pooled HTTP, with a
circuit breaker per service: a service that is down answers 503 at once, naming itself, and
the rest of the platform keeps working. Anonymous writes spend the caller's public rate limit
here, so a flood is refused before it costs a service anything.

The web app's pages are served at the gateway's address too: every page path is passed to the
web service as it comes (cookies in, cookies and the page's own security headers out), and its
answer streams back as it is written, so a page's live feed arrives live. A browser asking for
a trace code's `/trace/{code}` (a scanned QR code) is sent to the trace code's page."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.background import BackgroundTask

from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_gateway.upstreams import (  # re-exported: routing is where callers look for them
    CircuitBreaker,
    CircuitOpen,
    Upstreams,
    upstream_clients,
)
from qgov_shared.auth import CurrentPrincipal, Principal
from qgov_shared.http.problems import ProblemException
from qgov_shared.http.ratelimit import client_address, spend_one

# Which service owns which public path (longest prefix wins).
ROUTES: dict[str, str] = {
    "/api/v1/complaints": "complaints",
    "/api/v1/reports": "complaints",
    "/api/v1/tracking": "complaints",
    "/api/v1/submissions": "complaints",
    "/api/v1/enterprise/complaints": "complaints",
    "/api/v1/disclosure": "complaints",
    "/open311/v2": "complaints",
    "/api/v1/credit": "credit",
    "/api/v1/standards": "standards",
    "/api/v1/brands": "brands",
    "/api/v1/awards": "brands",
    "/api/v1/traceability": "traceability",
    "/api/v1/recalls": "traceability",
    "/epcis": "traceability",
    "/trace": "traceability",
    "/01": "traceability",
    "/api/v1/inspections": "inspections",
}
# The request headers the EPCIS 2.0 REST binding defines (versions, formats, the capture's
# error behaviour), and those it answers with (its limits, versions and a page's next link).
_EPCIS_REQUEST_HEADERS = (
    "gs1-capture-error-behaviour",
    "gs1-epcis-version",
    "gs1-epcis-min",
    "gs1-epcis-max",
    "gs1-cbv-version",
    "gs1-cbv-min",
    "gs1-cbv-max",
    "gs1-epc-format",
    "gs1-cbv-xml-format",
    "gs1-extensions",
)
_EPCIS_RETURNED_HEADERS = (
    "link",
    "gs1-epcis-capture-limit",
    "gs1-epcis-capture-file-size-limit",
    "gs1-epcis-version",
    "gs1-cbv-version",
)
EPCIS_MEDIA_TYPES = ("application/json", "application/ld+json")
_FORWARDED_REQUEST_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
    "x-tracking-token",
    "x-laboratory-key",  # inspections' laboratories, who hold a key and no token
    *_EPCIS_REQUEST_HEADERS,
)
_RETURNED_HEADERS = (
    "content-type",
    "location",
    "retry-after",
    "idempotent-replayed",
    "accept-post",
    "allow",
    "www-authenticate",
    "cache-control",
    *_EPCIS_RETURNED_HEADERS,
)
# The web app's pages: the home page and these prefixes (none is an API's, none the gateway's).
PAGES_SERVICE = "web"
PAGE_PREFIXES = ("/static", "/enterprises", "/complaints", "/reports", "/console", "/pages")
# What the pages' forms send: the gateway's body rules let it through on page paths.
PAGE_MEDIA_TYPES = dict.fromkeys(PAGE_PREFIXES, ("application/x-www-form-urlencoded",))
TRACE_PAGE = "/pages/trace/"
_PAGE_REQUEST_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "cookie",
    "last-event-id",
    "x-request-id",
)
_PAGE_RETURNED_HEADERS = frozenset(
    {
        *_RETURNED_HEADERS,
        "content-encoding",
        "content-language",
        "content-security-policy",
        "set-cookie",
        "vary",
        "x-accel-buffering",
    }
)
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# What a path segment may carry unencoded (RFC 3986 pchar) besides letters, digits and "-._~".
_PATH_CHARACTERS = "/:@!$&'()*+,;="
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
__all__ = ["ROUTES", "CircuitBreaker", "CircuitOpen", "Upstreams", "router", "upstream_clients"]


def service_for(path: str, routes: dict[str, str] = ROUTES) -> str | None:
    matches = [prefix for prefix in routes if path == prefix or path.startswith(prefix + "/")]
    return routes[max(matches, key=len)] if matches else None


router = APIRouter(include_in_schema=False)


@router.api_route("/api/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@router.api_route("/open311/v2/{rest:path}", methods=["GET", "POST"])
@router.api_route("/epcis/{rest:path}", methods=["GET", "POST", "DELETE"])
@router.api_route("/trace/{rest:path}", methods=["GET"])
@router.api_route("/01/{rest:path}", methods=["GET"])
async def forward(
    request: Request, principal: CurrentPrincipal, deps: GatewayDependenciesDep
) -> Response:
    """Forward the request to the service that owns its path. A token is checked here first
    (the service checks it again), so a made-up one is refused without a hop and cannot dodge
    the limit on anonymous writes."""
    path = _forwarded_path(request)
    if path.startswith("/trace/") and _wants_a_page(request):
        return RedirectResponse(TRACE_PAGE + path.removeprefix("/trace/"), status_code=303)
    service = service_for(request.url.path)
    if service is None:
        raise ProblemException(404, "No service answers this path.")
    if request.method in _WRITES and principal.is_anonymous:
        # Keyed by address: anonymous callers have nothing else. With a token, the service
        # limits the verified subject itself.
        spend_one(request)
    upstreams = deps.upstreams
    caller = client_address(request, deps.settings.trusted_proxies)
    client = upstreams.clients[service]
    outgoing = await _outgoing(client, request, path, caller, principal)
    limit = deps.settings.upstream_max_answer_bytes
    try:
        with upstreams.breaker(service).attempt():
            answer = await _send(client, outgoing, stream=True)
            content = await _read_within(answer, limit, service)
    except httpx.LocalProtocolError:
        raise ProblemException(
            400,
            "A header of the request cannot be forwarded (it holds characters HTTP forbids).",
            errors=[{"in": "header", "detail": "no control characters in header values"}],
        ) from None
    except (CircuitOpen, httpx.TransportError):
        raise _unavailable(service) from None
    headers = {name: answer.headers[name] for name in _RETURNED_HEADERS if name in answer.headers}
    return Response(content, status_code=answer.status_code, headers=headers)


async def forward_page(request: Request, deps: GatewayDependenciesDep) -> Response:
    """Pass a page request to the web app and stream its answer back. No token is read here:
    the browser has none (its session is the web app's); writes are limited where the web app
    calls the API on the visitor's behalf."""
    path = _forwarded_path(request)
    upstreams = deps.upstreams
    client = upstreams.clients.get(PAGES_SERVICE)
    if client is None:
        raise ProblemException(404, "No service answers this path.")
    headers = {
        name: value
        for name in _PAGE_REQUEST_HEADERS
        if (value := request.headers.get(name, "").strip())
    }
    headers["x-forwarded-for"] = client_address(request, deps.settings.trusted_proxies)
    outgoing = client.build_request(
        request.method,
        path,
        params=request.query_params,
        headers=headers,
        content=await request.body(),
        timeout=_page_timeout(client, request),
    )
    try:
        with upstreams.breaker(PAGES_SERVICE).attempt():
            answer = await _send(client, outgoing, stream=True)
    except httpx.LocalProtocolError:
        raise ProblemException(400, "A header of the request cannot be forwarded.") from None
    except (CircuitOpen, httpx.TransportError):
        raise _unavailable(PAGES_SERVICE) from None
    page = StreamingResponse(
        answer.aiter_raw(), status_code=answer.status_code, background=BackgroundTask(answer.aclose)
    )
    page.raw_headers.extend(
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in answer.headers.multi_items()
        if name.lower() in _PAGE_RETURNED_HEADERS
    )
    return page


router.add_api_route("/", forward_page, methods=["GET", "HEAD"])
for _prefix in PAGE_PREFIXES:
    router.add_api_route(_prefix, forward_page, methods=["GET", "HEAD", "POST"])
    router.add_api_route(_prefix + "/{rest:path}", forward_page, methods=["GET", "HEAD", "POST"])


def _wants_a_page(request: Request) -> bool:
    """A browser navigating (it asks for HTML first), not an API client."""
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def _page_timeout(client: httpx.AsyncClient, request: Request) -> httpx.Timeout:
    """A page's usual timeout, but an event stream may be quiet for as long as it likes."""
    if "text/event-stream" in request.headers.get("accept", ""):
        return httpx.Timeout(client.timeout.connect, read=None)
    return client.timeout


def _forwarded_path(request: Request) -> str:
    """The path the service is to see: the one routed here, decoded once and encoded again, so
    what the caller had encoded (`%25`, `%3F`, `%23`) arrives as it left. Control characters
    have no place in a URL, and no service answers a path holding one."""
    path = request.scope["path"]
    if _CONTROL_CHARACTERS.search(path):
        raise ProblemException(
            400,
            "The path holds a control character; no service answers such a path.",
            errors=[{"in": "path", "parameter": "path", "detail": "no control characters"}],
        )
    return quote(path, safe=_PATH_CHARACTERS)


async def _outgoing(
    client: httpx.AsyncClient, request: Request, path: str, caller: str, principal: Principal
) -> httpx.Request:
    """The request to forward. Header values travel trimmed and only when they say something;
    the token only when it verified here (an empty `Bearer ` is an anonymous caller)."""
    headers = {
        name: value
        for name in _FORWARDED_REQUEST_HEADERS
        if (value := request.headers.get(name, "").strip())
    }
    if principal.is_anonymous:
        headers.pop("authorization", None)
    # Set, not appended: the service trusts the gateway, so whatever the gateway names is the
    # client; hops a caller wrote itself must not travel on as if the gateway vouched for them.
    headers["x-forwarded-for"] = caller
    return client.build_request(
        request.method,
        path,
        params=request.query_params,
        headers=headers,
        content=await request.body(),
    )


async def _send(
    client: httpx.AsyncClient, outgoing: httpx.Request, *, stream: bool = False
) -> httpx.Response:
    attempts = 2 if outgoing.method in _IDEMPOTENT else 1  # never resend a write
    for attempt in range(1, attempts + 1):
        try:
            return await client.send(outgoing, stream=stream)
        except httpx.TransportError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


async def _read_within(answer: httpx.Response, limit: int, service: str) -> bytes:
    """The answer's body, held in memory to pass on: a service that answers more than `limit`
    bytes (a fault, or a compromised service) is a 502, not the gateway's memory spent."""
    try:
        if int(answer.headers.get("content-length") or 0) > limit:
            raise _answer_too_large(service, limit)
        body = bytearray()
        async for chunk in answer.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _answer_too_large(service, limit)
        return bytes(body)
    finally:
        await answer.aclose()


def _answer_too_large(service: str, limit: int) -> ProblemException:
    return ProblemException(
        502,
        f"The {service} service answered more than the {limit} bytes passed on.",
        service=service,
    )


def _unavailable(service: str) -> ProblemException:
    return ProblemException(
        503,
        f"The {service} service is unavailable; try again shortly.",
        headers={"Retry-After": "10"},
        service=service,
    )
