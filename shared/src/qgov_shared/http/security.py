"""Response headers that tell browsers how little a QGov API response may do, and CORS for the
web front ends named in `QGOV_CORS_ALLOW_ORIGINS`.

The APIs answer JSON only, so the default Content-Security-Policy allows nothing at all. The
interactive docs pages are HTML that loads Swagger UI (or ReDoc) from a CDN; they get a policy
that allows exactly that.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qgov_shared.settings import ServiceSettings

STRICT_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc: their bundles and styles from jsDelivr, an inline bootstrap script,
# inline styles, data: icons, the favicon FastAPI points at, ReDoc's web worker and fonts, and
# the OpenAPI document from this origin.
DOCS_CSP = (
    "default-src 'none'; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; "
    "worker-src blob:; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
HSTS = "max-age=31536000; includeSubDomains"

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-site"),
)

CORS_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "Last-Event-ID",
    "X-Request-ID",
    "X-Tracking-Token",
)
CORS_EXPOSED_HEADERS = ("Location", "Retry-After", "X-Request-ID", "Idempotent-Replayed")


class SecurityHeadersMiddleware:
    """Adds the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    def headers_for(self, path: str) -> list[tuple[bytes, bytes]]:
        csp = DOCS_CSP if path in DOCS_PATHS else STRICT_CSP
        headers = [*_ALWAYS, (b"content-security-policy", csp.encode())]
        if self.hsts:
            headers.append((b"strict-transport-security", HSTS.encode()))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in extra if header[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cors_options(settings: ServiceSettings) -> dict[str, object] | None:
    """CORSMiddleware's arguments for these settings; None when no origin is allowed."""
    if not settings.cors_allow_origins:
        return None
    return {
        "allow_origins": list(settings.cors_allow_origins),
        "allow_methods": list(CORS_METHODS),
        "allow_headers": list(CORS_REQUEST_HEADERS),
        "expose_headers": list(CORS_EXPOSED_HEADERS),
    }
