"""The credit service: each enterprise's quality credit file (质量信用档案)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="credit",
    port=8002,
    app_factory="qgov_credit.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_credit.events:EVENTS",
)
