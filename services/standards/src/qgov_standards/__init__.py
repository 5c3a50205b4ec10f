"""The standards service (see its README)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="standards",
    port=8003,
    app_factory="qgov_standards.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_standards.events:EVENTS",
)
