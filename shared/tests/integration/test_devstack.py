"""The embedded dev stack: the broker's lifecycle, clear errors, and the whole platform going
up, serving, coming down without leftovers and keeping its data across a restart; and `qgov up`
itself stopping everything it started, however it is stopped."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
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
from qgov_shared.devstack.platform import Part, Platform, load_parts, readiness
from qgov_shared.devstack.processes import is_alive
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


async def test_qgov_up_leaves_nothing_running_killed_hard_or_ctrl_c_twice(
    platform_root: Path,
) -> None:
    runs: list[subprocess.Popen] = []
    parts: list[Part] = []
    try:
        # Killed hard, its services and broker die with it. PostgreSQL, a daemon of its own,
        # outlives it until the next run takes it over.
        runs.append(_start_qgov_up(platform_root))
        parts = await _when_ready(runs[-1], platform_root)
        runs[-1].kill()
        await asyncio.to_thread(runs[-1].wait, 10)
        children = [part for part in parts if part.name != "postgresql"]
        await wait_for(_none_alive(children), within=20, what="the children dying with qgov")
        left_running = _postgres_pid(parts)
        assert is_alive(left_running)

        runs.append(_start_qgov_up(platform_root))
        parts = await _when_ready(runs[-1], platform_root)
        assert _postgres_pid(parts) == left_running
        os.killpg(runs[-1].pid, signal.SIGINT)  # as a terminal's Ctrl-C: qgov's whole group
        await _wait_for_output(platform_root, "Stopping QGov")
        os.killpg(runs[-1].pid, signal.SIGINT)  # the impatient second Ctrl-C, mid-stop
        assert await asyncio.to_thread(runs[-1].wait, 60) == 0, _output(platform_root)
    finally:
        _kill_leftovers(runs, parts)
    assert {part.name for part in parts} == {"postgresql", "broker (tansu)", "demo"}
    assert [part.name for part in parts if is_alive(part.pid)] == []
    assert "Traceback" not in _output(platform_root)


def _start_qgov_up(root: Path) -> subprocess.Popen:
    """The real `qgov up` with the demo service and the broker on free ports, in its own
    process group as a terminal's foreground job is; its output goes to `root`/qgov.out."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QGOV_DATABASE_URL", "QGOV_KAFKA_BOOTSTRAP_SERVERS")
    }  # this test is about the embedded parts
    ports = ["--port", f"demo={free_port()}", "--port", f"broker={free_port()}"]
    command = [sys.executable, "-m", "qgov_shared.devstack.cli", "--root", str(root), "up"]
    command += ["--only", "demo", *ports]
    with (root / "qgov.out").open("ab") as output:
        return subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


async def _when_ready(qgov: subprocess.Popen, root: Path) -> list[Part]:
    async def recorded_by_this_run() -> bool:
        assert qgov.poll() is None, f"qgov up exited early:\n{_output(root)}"
        return load_parts(root)[0] == qgov.pid

    await wait_for(recorded_by_this_run, within=60, what="qgov up recording its parts")
    _, parts = load_parts(root)
    await wait_for(lambda: _all_ready(parts), within=60, what="every part ready")
    return parts


async def _wait_for_output(root: Path, text: str) -> None:
    async def written() -> bool:
        return text in _output(root)

    await wait_for(written, within=10, what=f"qgov up to say {text!r}")


def _output(root: Path) -> str:
    return (root / "qgov.out").read_text(errors="replace")


def _postgres_pid(parts: list[Part]) -> int:
    return next(part.pid for part in parts if part.name == "postgresql")


def _none_alive(parts: list[Part]):
    async def condition() -> bool:
        return not any(is_alive(part.pid) for part in parts)

    return condition


def _kill_leftovers(runs: list[subprocess.Popen], parts: list[Part]) -> None:
    """After a failure, leave nothing running on this shared machine."""
    for pid in [*(run.pid for run in runs), *(part.pid for part in parts)]:
        if is_alive(pid):
            os.kill(pid, signal.SIGKILL)
    for run in runs:
        run.wait()
