"""Where a service may send a request a caller registered (a webhook, a subscription's
deliveries): an http(s) URL without credentials that, unless the deployment allows private
networks, resolves only to public addresses. A caller must not make the platform call into its
own network (SSRF). Check when the destination is registered, and again before each request:
a name can be pointed elsewhere in between."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[Iterable[str]]]
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


class UnsafeDestination(ValueError):
    pass


def check_url(url: str, *, allow_private: bool) -> tuple[str, int]:
    """The destination's host and port; `UnsafeDestination` for a URL no service will call."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeDestination("not a URL") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination("the destination is an http or https URL with a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeDestination("the destination URL carries no credentials")
    host = parts.hostname.lower().rstrip(".")
    if not allow_private:
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            raise UnsafeDestination("the destination may not be this machine")
        literal = _address(host)
        if literal is not None and not literal.is_global:
            raise UnsafeDestination("the destination may not be a private or reserved address")
    return host, port


async def check_resolved(host: str, port: int, *, allow_private: bool, resolve: Resolver) -> None:
    """Every address `host` resolves to must be public (unless private ones are allowed)."""
    if allow_private:
        return
    try:
        addresses = list(await resolve(host, port))
    except OSError as error:
        raise UnsafeDestination(f"the destination's host does not resolve: {error}") from error
    if not addresses or any(not ipaddress.ip_address(a).is_global for a in addresses):
        raise UnsafeDestination("the destination's host resolves to a private or reserved address")


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


async def check_destination(url: str, *, allow_private: bool, resolve: Resolver) -> None:
    """Both checks, as made right before a request is sent."""
    host, port = check_url(url, allow_private=allow_private)
    await check_resolved(host, port, allow_private=allow_private, resolve=resolve)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    # The forms `ipaddress` refuses but resolvers take as addresses: 127.1, 0x7f.1, 2130706433.
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None
