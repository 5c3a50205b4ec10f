"""`qgov-gateway-admin`: what only an administrator does to identity.

    qgov-gateway-admin create-client --role regulator --name 韶关市监局 --regions 440200
    qgov-gateway-admin create-client --role admin --name 平台管理员
    qgov-gateway-admin create-client --role reviewer --name 王教授
    qgov-gateway-admin suspend CLIENT_ID        (and: reinstate CLIENT_ID)
    qgov-gateway-admin rotate-keys

It connects to the gateway's database with the usual QGOV_ settings and prints the new
client's secret once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime

from qgov_gateway import accounts
from qgov_gateway.dependencies import GatewaySettings
from qgov_gateway.models import Client
from qgov_shared.clock import system_clock
from qgov_shared.db import SessionFactory, create_engine, create_session_factory
from qgov_shared.regions import is_known_region


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qgov-gateway-admin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-client", help="a regulator, reviewer or admin client")
    create.add_argument("--role", choices=("regulator", "reviewer", "admin"), required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--regions", nargs="*", default=[], help="6-digit region codes")
    for name in ("suspend", "reinstate"):
        commands.add_parser(name).add_argument("client_id")
    commands.add_parser("rotate-keys", help="sign with a new key from now on")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace, session_factory: SessionFactory, now: datetime) -> str:
    """Carry out one command at `now`; what to tell the administrator."""
    async with session_factory() as session:
        if args.command == "create-client":
            _check_regions(args.role, args.regions)
            client_id, secret = await accounts.create_client(
                session, now, role=args.role, name=args.name, regions=args.regions
            )
            message = f"client_id {client_id}\nclient_secret {secret}  (shown once)"
        elif args.command == "rotate-keys":
            message = f"signing with key {await accounts.rotate_keys(session, now)}"
        else:
            client = await session.get(Client, args.client_id)
            if client is None:
                raise SystemExit(f"no client {args.client_id}")
            client.suspended = args.command == "suspend"
            message = f"{args.client_id} {args.command}ed"
        await session.commit()
    return message


def _check_regions(role: str, regions: list[str]) -> None:
    if role == "regulator" and not regions:
        raise SystemExit("a regulator needs --regions")
    if role == "admin" and regions:
        raise SystemExit("an admin covers every region; give no --regions")
    if role == "reviewer" and regions:
        raise SystemExit("a reviewer sees the applications assigned to them; give no --regions")
    if unknown := [code for code in regions if not is_known_region(code)]:
        raise SystemExit(f"not GB/T 2260 region codes: {', '.join(unknown)}")


def main(argv: list[str] | None = None) -> int:
    """The command's composition root: its settings, database and time."""
    args = parse(argv)

    async def go() -> str:
        engine = create_engine(GatewaySettings())
        try:
            return await run(args, create_session_factory(engine), system_clock())
        finally:
            await engine.dispose()

    print(asyncio.run(go()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
