"""The embedded dev stack: the broker's lifecycle, clear errors, and the whole platform going
up, serving, coming down without leftovers and keeping its data across a restart."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest

from qgov_demo import SERVICE as DEMO
from qgov_shared.devstack.embedded import (
    TANSU_VERSION,
    EmbeddedBroker,
    PortInUse,
    check_tansu,
    free_port,
    port_accepts,
    port_is_free,
    tansu_binary,
)
from qgov_shared.devstack.platform import Platform, is_alive, load_parts, readiness
from qgov_shared.testing.stack import wait_for

CREDIT_CODE = "91350100M000100Y43"


def test_the_shipped_broker_binary_is_the_pinned_version() -> None:
    assert check_tansu(tansu_binary()) == TANSU_VERSION


def test_broker_starts_listens_refuses_a_taken_port_and_stops(tmp_path: Path) -> None:
    broker = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log")
    broker.start()
    try:
        assert port_accepts(broker.port)
        rival = EmbeddedBroker(port=broker.port, log_path=tmp_path / "rival.log")
        with pytest.raises(PortInUse, match=f"port {broker.port} for the broker"):
            rival.start()
    finally:
        broker.stop()
    assert port_is_free(broker.port)


@pytest.fixture
def platform_root():
    # Not tmp_path: PostgreSQL runs as its own user and cannot enter pytest's 0700 folders.
    root = Path(tempfile.mkdtemp(prefix="qgov-platform-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


async def test_platform_serves_stops_cleanly_and_keeps_its_data(
    platform_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("QGOV_DATABASE_URL", "QGOV_KAFKA_BOOTSTRAP_SERVERS"):
        monkeypatch.delenv(variable, raising=False)  # this test is about the embedded parts
    demo = dataclasses.replace(DEMO, port=free_port())
    base_url = f"http://127.0.0.1:{demo.port}"

    async def run_once(action) -> None:
        platform = Platform(platform_root, services=[demo], broker_port=free_port())
        await asyncio.to_thread(platform.up)
        try:
            _, parts = load_parts(platform_root)
            await wait_for(lambda: _all_ready(parts), within=60, what="every part ready")
            async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
                await action(client)
        finally:
            await asyncio.to_thread(platform.down)
        assert [p.name for p in parts if p.pid and is_alive(p.pid)] == []
        assert port_is_free(demo.port)
        assert not (platform_root / "stack.json").exists()

    async def record_and_see_it_applied(client: httpx.AsyncClient) -> None:
        response = await client.post(
            "/api/v1/demo/pings", json={"credit_code": CREDIT_CODE, "message": "kept"}
        )
        assert response.status_code == 201

        async def applied() -> bool:
            return (await client.get(f"/api/v1/demo/receipts/{CREDIT_CODE}")).json()["count"] == 1

        await wait_for(applied, within=30, what="the ping applied by the running consumer")

    async def find_it_again(client: httpx.AsyncClient) -> None:
        pings = (await client.get("/api/v1/demo/pings")).json()["items"]
        assert [ping["message"] for ping in pings] == ["kept"]

    await run_once(record_and_see_it_applied)
    await run_once(find_it_again)


async def _all_ready(parts) -> bool:
    return all((await readiness(parts)).values())
