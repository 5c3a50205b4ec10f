"""How FastAPI's own telemetry traces a service's requests (`qgov_shared.telemetry` installs the
tracer provider it reports to)."""

from __future__ import annotations

from fastapi.telemetry import TelemetryConfig

_UNTRACED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
SERVER_TELEMETRY: TelemetryConfig = {
    # One server span per request, named by the route FastAPI matched. OpenTelemetry's FastAPI
    # instrumentor matched each request against every route a second time to name its span
    # (~9% of a profile read's CPU); the spans per dependency, endpoint and serialization cost
    # more than they tell.
    "operation_spans": False,
    # Its log records of a refused request carry the input, which can be personal data (a
    # complainant's name and phone): none go to a log pipeline.
    "logs": False,
    "exclude": lambda scope: scope.get("path") in _UNTRACED_PATHS,
}
