"""Where a subscription may deliver, and how a delivery is signed. A webhook URL is http(s),
carries no credentials, and, unless the deployment allows private networks, resolves only to
public addresses: a partner's subscription must not make this service call into its own
network (SSRF). The check is made when subscribing and again before each delivery, since a
name can be pointed elsewhere in between."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

SIGNATURE_HEADER = "GS1-Signature"
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


class UnsafeWebhook(ValueError):
    pass


def check_url(url: str, *, allow_private: bool) -> tuple[str, int]:
    """The webhook's host and port; `UnsafeWebhook` for a URL this service will not call."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeWebhook("not a URL") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeWebhook("a webhook is an http or https URL with a host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhook("a webhook URL carries no credentials; sign with signatureToken")
    host = parts.hostname.lower().rstrip(".")
    if not allow_private:
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            raise UnsafeWebhook("a webhook may not point at this machine")
        literal = _address(host)
        if literal is not None and not literal.is_global:
            raise UnsafeWebhook("a webhook may not point at a private or reserved address")
    return host, port


async def check_resolved(
    host: str,
    port: int,
    *,
    allow_private: bool,
    resolve: Callable[[str, int], Awaitable[Iterable[str]]],
) -> None:
    """Every address `host` resolves to must be public (unless private ones are allowed)."""
    if allow_private:
        return
    try:
        addresses = list(await resolve(host, port))
    except OSError as error:
        raise UnsafeWebhook(f"the webhook's host does not resolve: {error}") from error
    if not addresses or any(not ipaddress.ip_address(a).is_global for a in addresses):
        raise UnsafeWebhook("the webhook's host resolves to a private or reserved address")


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def signature(token: str, body: bytes) -> str:
    """HMAC-SHA256 of the body with the subscriber's token, base64: GS1-Signature."""
    return base64.b64encode(hmac.new(token.encode(), body, hashlib.sha256).digest()).decode()


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
