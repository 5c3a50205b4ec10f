"""Where a service may send what a caller registered (no SSRF): http(s) URLs without
credentials that resolve to public addresses, unless the deployment allows private networks."""

from __future__ import annotations

import pytest

from qgov_shared.http.destinations import (
    UnsafeDestination,
    check_destination,
    check_resolved,
    check_url,
)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://partner.example.com/hook",
        "http://user:pw@partner.example.com/hook",
        "https:///no-host",
        "http://localhost:8080/hook",
        "http://api.localhost/hook",
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://partner.example.com:99999/hook",
    ],
)
def test_unsafe_destinations_are_refused(url):
    with pytest.raises(UnsafeDestination):
        check_url(url, allow_private=False)


def test_a_public_destination_and_private_ones_where_allowed():
    assert check_url("https://partner.example.com/epcis", allow_private=False) == (
        "partner.example.com",
        443,
    )
    assert check_url("http://127.0.0.1:8123/hook", allow_private=True) == ("127.0.0.1", 8123)


async def test_a_name_resolving_to_a_private_address_is_refused_at_delivery():
    async def private(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "192.168.1.10"]

    async def public(host: str, port: int) -> list[str]:
        return ["93.184.215.14"]

    with pytest.raises(UnsafeDestination):
        await check_resolved("partner.example.com", 443, allow_private=False, resolve=private)
    await check_resolved("partner.example.com", 443, allow_private=False, resolve=public)
    await check_resolved("partner.example.com", 443, allow_private=True, resolve=private)


@pytest.mark.parametrize("url", ["http://127.1/hook", "http://2130706433/", "http://0x7f.0.0.1/"])
def test_the_address_forms_resolvers_read_are_refused_too(url):
    with pytest.raises(UnsafeDestination):
        check_url(url, allow_private=False)


async def test_a_destination_is_checked_whole_before_a_request():
    async def private(host: str, port: int) -> list[str]:
        return ["10.0.0.7"]

    with pytest.raises(UnsafeDestination):
        await check_destination("https://hooks.example.com/x", allow_private=False, resolve=private)
    await check_destination("https://hooks.example.com/x", allow_private=True, resolve=private)
