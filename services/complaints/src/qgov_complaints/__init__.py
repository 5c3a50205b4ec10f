"""The complaints service: the 12315 channel for complaints (投诉) and reports (举报)."""

from pathlib import Path

from qgov_shared.service import ServiceSpec

SERVICE = ServiceSpec(
    name="complaints",
    port=8001,
    app_factory="qgov_complaints.main:create_app",
    migrations=Path(__file__).parent / "migrations" / "versions",
    events="qgov_complaints.events:EVENTS",
)
