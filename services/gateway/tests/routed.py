"""A gateway routing to a real complaints service in process, for the tests of the edge."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as complaints_app
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as gateway_app
from qgov_shared.devstack.embedded import free_port
from qgov_shared.testing.stack import RunningService, TestStack, run_service

COMPLAINT = {
    "complainant": {"name": "张三", "phone": "13812345678", "address": "广东省韶关市武江区某路1号"},
    "respondent": {"name": "韶关某电器有限公司", "credit_code": "91350100M000100Y43"},
    "request": "退货退款",
    "facts": "电饭煲买来三天就无法加热",
    "category": "electronics",
    "region_code": "440203",
}


@contextlib.asynccontextmanager
async def gateway_to_complaints(
    stack: TestStack,
    *,
    complaints: dict[str, Any] | None = None,
    gateway: dict[str, Any] | None = None,
    gateway_address: str = "127.0.0.1",
) -> AsyncIterator[tuple[RunningService, RunningService]]:
    """The gateway and complaints, each with `settings` overrides; the complaints service sees
    the gateway's requests come from `gateway_address`. Credit is a port nobody listens on."""
    async with (
        run_service(
            stack,
            COMPLAINTS,
            complaints_app,
            ComplaintsSettings,
            run_consumers=False,
            **(complaints or {}),
        ) as complaints_service,
        run_service(
            stack,
            GATEWAY,
            gateway_app,
            GatewaySettings,
            upstream_urls={"credit": f"http://127.0.0.1:{free_port()}"},
            **(gateway or {}),
        ) as gateway_service,
    ):
        transport = httpx.ASGITransport(app=complaints_service.app, client=(gateway_address, 40000))
        gateway_service.app.state.dependencies.upstreams.clients["complaints"] = httpx.AsyncClient(
            transport=transport, base_url="http://complaints"
        )
        yield gateway_service, complaints_service
