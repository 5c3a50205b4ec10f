"""The gateway: QGov's one public entry."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="gateway",
    port=8000,
    app_factory="qgov_gateway.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
)
