"""The traceability service (see its README)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="traceability",
    port=8005,
    app_factory="qgov_traceability.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_traceability.events:EVENTS",
)
