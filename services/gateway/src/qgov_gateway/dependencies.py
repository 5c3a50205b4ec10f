"""What the gateway's composition root (`main.create_app`) builds once and injects into routes
and handlers: settings, clock, signing keys, the suspended clients, the clients of the
services behind it, the profile reads' pool, and the feed's timing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from pydantic import Field

from qgov_shared.app import Dependencies, get_dependencies
from qgov_shared.settings import ServiceSettings

if TYPE_CHECKING:  # the route modules that define these import this module
    from qgov_gateway.accounts import KeyRing
    from qgov_gateway.feed import StreamTiming
    from qgov_gateway.platform_docs import ServiceDocs
    from qgov_gateway.read_pool import ReadPool
    from qgov_gateway.revocation import SuspendedClients
    from qgov_gateway.routing import Upstreams


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    token_ttl_s: int = 900
    suspension_refresh_s: float = Field(
        5.0, description="How soon a suspension made at another replica refuses its tokens here."
    )
    upstream_urls: dict[str, str] = Field(
        default_factory=lambda: {
            "complaints": "http://127.0.0.1:8001",
            "credit": "http://127.0.0.1:8002",
            "standards": "http://127.0.0.1:8003",
            "brands": "http://127.0.0.1:8004",
            "traceability": "http://127.0.0.1:8005",
            "inspections": "http://127.0.0.1:8006",
            "web": "http://127.0.0.1:8007",
        },
        description="Where each service answers (JSON object: service -> base URL).",
    )
    upstream_timeout_s: float = 10.0
    upstream_max_answer_bytes: int = Field(
        32 * 1024 * 1024, description="The largest answer of a service the gateway passes on."
    )
    epcis_max_body_bytes: int = Field(
        16 * 1024 * 1024,
        description="The largest body passed on under /epcis/ (an EPCIS capture document).",
    )
    read_pool_size: int = Field(
        10, description="Connections the profile reads may hold, beside the engine's pool."
    )
    feed_poll_interval_s: float = Field(1.0, description="How often a quiet SSE stream looks.")
    feed_heartbeat_s: float = Field(15.0, description="A comment on a quiet SSE stream this often.")
    feed_stream_max_s: float = Field(
        900.0, description="An SSE stream's longest life; the client resumes by Last-Event-ID."
    )
    run_webhook_dispatcher: bool = True
    webhook_poll_interval_s: float = 1.0
    webhook_retry_base_s: float = Field(5.0, description="The first retry's delay; it doubles.")
    webhook_retry_cap_s: float = Field(600.0, description="The longest delay between retries.")
    webhook_timeout_s: float = 10.0
    webhook_pause_after_s: float = Field(
        3 * 24 * 3600.0,
        description="A subscription failing this long without a success is paused.",
    )


@dataclass(frozen=True, kw_only=True)
class GatewayDependencies(Dependencies):
    settings: GatewaySettings
    keyring: KeyRing
    suspended_clients: SuspendedClients
    upstreams: Upstreams
    service_docs: ServiceDocs
    read_pool: ReadPool
    stream_timing: StreamTiming


GatewayDependenciesDep = Annotated[GatewayDependencies, Depends(get_dependencies)]
