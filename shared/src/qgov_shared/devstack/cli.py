"""`qgov`: run the platform on this machine, and migrate a service's database.

qgov up        start PostgreSQL, the broker and every service; a live status table;
               Ctrl-C stops everything (`--only S`, `--port S=PORT`, `--port broker=PORT`
               start fewer services, or elsewhere)
qgov status    the parts of a running `qgov up`, and whether each is ready
qgov down      stop a running `qgov up` from another terminal
qgov migrate S bring service S's database to its newest schema (uses QGOV_ settings)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import signal
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.table import Table
from sqlalchemy.engine import make_url

from qgov_shared import migrate
from qgov_shared.devstack.contracts import write_event_schemas, write_openapi
from qgov_shared.devstack.platform import (
    BROKER_PORT,
    Part,
    Platform,
    load_parts,
    readiness,
    stop_supervisor,
)
from qgov_shared.devstack.processes import is_alive
from qgov_shared.service import ServiceSpec, find_service, installed_services
from qgov_shared.settings import ServiceSettings

_READY_WITHIN_S = 60.0
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
console = Console()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="qgov", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(os.environ.get("QGOV_HOME", ".qgov")),
        help="where data, logs and the state file live (default .qgov)",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start the whole platform")
    up_parser.add_argument(
        "--only", action="append", metavar="SERVICE", help="start only this service (repeatable)"
    )
    up_parser.add_argument(
        "--port",
        action="append",
        default=[],
        type=_part_port,
        metavar="PART=PORT",
        help="serve a service, or the broker (PART `broker`), on another port (repeatable)",
    )
    commands.add_parser("status", help="show the running platform")
    commands.add_parser("down", help="stop the running platform")
    migrate_parser = commands.add_parser("migrate", help="migrate one service's database")
    migrate_parser.add_argument("service")
    commands.add_parser(
        "openapi", help="write contracts/openapi/<service>.json and the event schemas"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    command = {
        "up": _up,
        "status": _status,
        "down": _down,
        "migrate": _migrate,
        "openapi": _openapi,
    }[args.command]
    return command(root, args)


def _up(root: Path, args: argparse.Namespace) -> int:
    pid, _ = load_parts(root)
    if pid is not None and pid != os.getpid() and is_alive(pid):
        console.print(f"[red]QGov is already running (pid {pid}); `qgov down` stops it.[/red]")
        return 1
    ports = dict(args.port)
    platform = Platform(root, _chosen_services(args.only, ports), ports.pop("broker", BROKER_PORT))
    # Explicitly: a shell starts background jobs with SIGINT ignored, and `qgov down` sends it.
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _begin_stopping)
    try:
        with console.status("starting PostgreSQL, the broker and the services…"):
            platform.up()
        _watch(platform.parts)
    except KeyboardInterrupt:
        pass
    except Exception as error:
        console.print(f"[red]QGov could not start: {error}[/red]")
        return 1
    finally:
        # A start that failed stops just as surely. A first stop signal may land right here;
        # it has made every later one ignored, so nothing can interrupt what follows.
        with contextlib.suppress(KeyboardInterrupt):
            _ignore_stop_signals()
        _stop(platform)
    return 0


def _stop(platform: Platform) -> None:
    console.print("Stopping QGov; Ctrl-C is ignored until every part has stopped.")
    with console.status("stopping…"):
        platform.down()
    console.print("QGov stopped; data is kept under", platform.root)


def _begin_stopping(signum: int, frame: object) -> None:
    """The first SIGINT or SIGTERM (Ctrl-C, `qgov down`, a process manager) stops QGov.

    Later ones are ignored, so nothing cuts the stop short; commands the stop runs (PostgreSQL's
    pg_ctl, in qgov's process group) inherit the ignoring, so a terminal's repeated Ctrl-C cannot
    kill them half-way either.
    """
    _ignore_stop_signals()
    raise KeyboardInterrupt


def _ignore_stop_signals() -> None:
    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _part_port(text: str) -> tuple[str, int]:
    part, _, port = text.partition("=")
    if not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected PART=PORT, got {text!r}")
    return part, int(port)


def _chosen_services(only: list[str] | None, ports: dict[str, int]) -> list[ServiceSpec]:
    """The installed services `--only` names (all without it), moved to their `--port`s."""
    try:
        specs = [find_service(name) for name in only] if only else installed_services()
    except LookupError as error:
        raise SystemExit(f"qgov up: {error}") from None
    not_started = ports.keys() - {spec.name for spec in specs} - {"broker"}
    if not_started:
        raise SystemExit(f"qgov up: --port names parts it does not start: {sorted(not_started)}")
    return sorted(
        (dataclasses.replace(spec, port=ports.get(spec.name, spec.port)) for spec in specs),
        key=lambda spec: spec.port,
    )


def _watch(parts: list[Part]) -> None:
    """Refresh the status table until interrupted; say once when every part is ready."""
    started = time.monotonic()
    announced = False
    with Live(_table(parts, {}), console=console, refresh_per_second=2) as live:
        while True:
            ready = asyncio.run(readiness(parts))
            live.update(_table(parts, ready))
            if all(ready.values()) and not announced:
                announced = True
                live.console.print(
                    f"[green]QGov is ready in {time.monotonic() - started:.1f}s:[/green] "
                    "gateway at http://127.0.0.1:8000 — Ctrl-C stops everything.\n"
                    "A token for the demo regulator (440200, development only):\n"
                    "  curl -s http://127.0.0.1:8000/oauth/token -d grant_type=client_credentials"
                    " -d client_id=demo-regulator -d client_secret=$QGOV_DEMO_SECRET"
                    " (default demo-secret)",
                    highlight=False,
                )
            elif not announced and time.monotonic() - started > _READY_WITHIN_S:
                announced = True
                live.console.print("[yellow]Not every part is ready; see .qgov/logs/.[/yellow]")
            time.sleep(1.0)


def _table(parts: list[Part], ready: dict[str, bool]) -> Table:
    table = Table(title="QGov")
    for column in ("part", "url", "pid", "ready"):
        table.add_column(column)
    for part in parts:
        state = ready.get(part.name)
        mark = "…" if state is None else "[green]ready[/green]" if state else "[red]no[/red]"
        table.add_row(part.name, part.url, str(part.pid or "—"), mark)
    return table


def _status(root: Path, args: argparse.Namespace) -> int:
    pid, parts = load_parts(root)
    if pid is None or not is_alive(pid):
        console.print("QGov is not running.")
        return 1
    ready = asyncio.run(readiness(parts))
    console.print(_table(parts, ready))
    return 0 if all(ready.values()) else 2


def _down(root: Path, args: argparse.Namespace) -> int:
    pid, _ = load_parts(root)
    if pid is None:
        console.print("QGov is not running.")
        return 0
    if stop_supervisor(pid):
        console.print("QGov stopped.")
        return 0
    console.print(f"[red]pid {pid} did not stop; kill it by hand.[/red]")
    return 1


def _migrate(root: Path, args: argparse.Namespace) -> int:
    spec = find_service(args.service)
    url = ServiceSettings(service_name=spec.name).service_database_url
    migrate.upgrade(spec, url)
    console.print(f"{spec.name}: database {make_url(url).database} is at its newest schema.")
    return 0


def _openapi(root: Path, args: argparse.Namespace) -> int:
    contracts = Path("contracts")
    for path in [
        *write_openapi(contracts / "openapi"),
        *write_event_schemas(contracts / "schemas"),
    ]:
        console.print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
