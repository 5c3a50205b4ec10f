"""The inspections service (see its README)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="inspections",
    port=8006,
    app_factory="qgov_inspections.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_inspections.events:EVENTS",
)
