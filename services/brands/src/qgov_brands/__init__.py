"""The brands service (see its README)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="brands",
    port=8004,
    app_factory="qgov_brands.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_brands.events:EVENTS",
)
