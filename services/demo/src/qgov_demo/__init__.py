"""The demo service: a producer/consumer pair proving the event backbone."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="demo",
    port=8090,
    app_factory="qgov_demo.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_demo.events:EVENTS",
)
