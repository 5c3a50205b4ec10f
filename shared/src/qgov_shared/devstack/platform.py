"""The whole platform on one machine: embedded PostgreSQL and broker (unless the environment
points at real ones), every installed service migrated and running under uvicorn.

`Platform.up()` starts the parts in order and records them in `.qgov/stack.json`, so
`qgov status` and `qgov down` work from another terminal; `Platform.down()` stops everything it
started, services first.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from qgov_shared import migrate
from qgov_shared.devstack.embedded import (
    EmbeddedBroker,
    EmbeddedPostgres,
    PortInUse,
    port_accepts,
    port_is_free,
)
from qgov_shared.devstack.processes import is_alive, start_child, stop_children
from qgov_shared.kafka import ensure_topics
from qgov_shared.service import ServiceSpec, installed_services
from qgov_shared.settings import ServiceSettings, database_url_for

BROKER_PORT = 9092
# The embedded broker joins consumer groups after half the session timeout.
_EMBEDDED_SESSION_TIMEOUT_MS = "2000"
_STOP_TIMEOUT_S = 10.0


@dataclass
class Part:
    """One running piece of the platform, as `qgov status` shows it."""

    name: str
    url: str
    pid: int | None = None
    probe: str = "http"  # http: GET <url>/readyz; tcp: the port accepts; external: not ours


class Platform:
    def __init__(
        self,
        root: Path,
        services: list[ServiceSpec] | None = None,
        broker_port: int = BROKER_PORT,
    ) -> None:
        self.root = root
        self.broker_port = broker_port
        self.state_file = root / "stack.json"
        self.logs = root / "logs"
        self.services = services if services is not None else installed_services()
        self.parts: list[Part] = []
        self._postgres: EmbeddedPostgres | None = None
        self._broker: EmbeddedBroker | None = None
        self._processes: list[subprocess.Popen] = []
        self._settings = ServiceSettings()

    def up(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self._refuse_taken_ports()
        database_url = self._start_postgres()
        bootstrap = self._start_broker()
        env = self._service_environment(database_url, bootstrap)
        asyncio.run(ensure_topics(self._with(bootstrap), self._topics()))
        for spec in self.services:
            migrate.upgrade(spec, database_url_for(database_url, spec.database_name))
            self._start_service(spec, env)
        self._save()

    def down(self) -> None:
        """Stop the services, then the broker, then PostgreSQL: each even when one before failed."""
        with contextlib.ExitStack() as stops:  # runs its callbacks last-in first
            stops.callback(self.state_file.unlink, missing_ok=True)
            if self._postgres:
                stops.callback(self._postgres.stop)
            if self._broker:
                stops.callback(self._broker.stop)
            stops.callback(stop_children, self._processes, within=_STOP_TIMEOUT_S)

    def _refuse_taken_ports(self) -> None:
        wanted = [(spec.name, spec.port) for spec in self.services]
        if not os.environ.get("QGOV_KAFKA_BOOTSTRAP_SERVERS"):
            wanted.append(("the broker", self.broker_port))
        for what, port in wanted:
            if not port_is_free(port):
                raise PortInUse(what, port)

    def _start_postgres(self) -> str:
        if os.environ.get("QGOV_DATABASE_URL"):
            self.parts.append(
                Part("postgresql", _redacted(self._settings.database_url), probe="external")
            )
            return self._settings.database_url
        self._postgres = EmbeddedPostgres(self.root / "pgdata")
        url = self._postgres.start()
        self.parts.append(Part("postgresql", url, self._postgres.pid, probe="postgres"))
        return url

    def _start_broker(self) -> str:
        if os.environ.get("QGOV_KAFKA_BOOTSTRAP_SERVERS"):
            bootstrap = self._settings.kafka_bootstrap_servers
            self.parts.append(Part("kafka", bootstrap, probe="external"))
            return bootstrap
        self._broker = EmbeddedBroker(self.broker_port, self.logs / "broker.log")
        bootstrap = self._broker.start()
        self.parts.append(Part("broker (tansu)", bootstrap, self._broker.pid, probe="tcp"))
        return bootstrap

    def _service_environment(self, database_url: str, bootstrap: str) -> dict[str, str]:
        env = {
            **os.environ,
            "QGOV_DATABASE_URL": database_url,
            "QGOV_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        }
        if self._broker is not None:
            env.setdefault("QGOV_KAFKA_SESSION_TIMEOUT_MS", _EMBEDDED_SESSION_TIMEOUT_MS)
            env.setdefault("QGOV_KAFKA_HEARTBEAT_INTERVAL_MS", "300")
        if any(spec.name == "gateway" for spec in self.services):
            gateway = next(spec for spec in self.services if spec.name == "gateway")
            env.setdefault(
                "QGOV_JWKS_URL", f"http://127.0.0.1:{gateway.port}/.well-known/jwks.json"
            )
        # Each service's own settings class names it and gives its port.
        for key in ("QGOV_SERVICE_NAME", "QGOV_PORT", "QGOV_DATABASE_NAME"):
            env.pop(key, None)
        return env

    def _topics(self) -> list[str]:
        return [f"qgov.{spec.name}" for spec in self.services]

    def _with(self, bootstrap: str) -> ServiceSettings:
        return self._settings.model_copy(update={"kafka_bootstrap_servers": bootstrap})

    def _start_service(self, spec: ServiceSpec, env: dict[str, str]) -> None:
        with (self.logs / f"{spec.name}.log").open("ab") as log:
            process = start_child(_uvicorn_command(spec), log, env)
        self._processes.append(process)
        self.parts.append(Part(spec.name, f"http://127.0.0.1:{spec.port}", process.pid))

    def _save(self) -> None:
        state = {"pid": os.getpid(), "parts": [asdict(part) for part in self.parts]}
        # Written aside and renamed: `qgov status` in another terminal never reads half a file.
        written = self.state_file.with_suffix(".json.tmp")
        written.write_text(json.dumps(state, indent=2))
        written.replace(self.state_file)


def load_parts(root: Path) -> tuple[int | None, list[Part]]:
    """The platform recorded under `root`: the supervising pid and its parts."""
    state_file = root / "stack.json"
    if not state_file.exists():
        return None, []
    state = json.loads(state_file.read_text())
    return state["pid"], [Part(**part) for part in state["parts"]]


async def readiness(parts: list[Part]) -> dict[str, bool]:
    async with httpx.AsyncClient(timeout=2.0) as client:
        answers = await asyncio.gather(*(_is_ready(client, part) for part in parts))
    return {part.name: ready for part, ready in zip(parts, answers, strict=True)}


async def _is_ready(client: httpx.AsyncClient, part: Part) -> bool:
    if part.probe == "http":
        try:
            return (await client.get(f"{part.url}/readyz")).status_code == 200
        except httpx.HTTPError:
            return False
    if part.probe == "tcp":
        host, port = part.url.rsplit(":", 1)
        return port_accepts(int(port), host)
    if part.probe == "postgres":
        return await _database_answers(part.url)
    return True


async def _database_answers(url: str) -> bool:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        connection = await asyncpg.connect(dsn, timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def stop_supervisor(pid: int) -> bool:
    """Ask a running `qgov up` to stop everything, as Ctrl-C would; True once it has exited."""
    if not is_alive(pid):
        return True
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + _STOP_TIMEOUT_S * 3
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    return False


def _uvicorn_command(spec: ServiceSpec) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        spec.app_factory,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(spec.port),
        "--no-access-log",
    ]


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
