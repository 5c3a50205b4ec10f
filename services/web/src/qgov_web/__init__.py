"""The web pages (see its README)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="web",
    port=8007,
    app_factory="qgov_web.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_web.events:EVENTS",
)
