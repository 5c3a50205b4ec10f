"""Where a subscription may deliver (no SSRF): http(s) URLs without credentials that resolve
to public addresses, unless the deployment allows private networks; and the signature."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from qgov_traceability.webhooks import UnsafeWebhook, check_resolved, check_url, signature


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
def test_unsafe_webhooks_are_refused(url):
    with pytest.raises(UnsafeWebhook):
        check_url(url, allow_private=False)


def test_a_public_webhook_and_private_ones_where_allowed():
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

    with pytest.raises(UnsafeWebhook):
        await check_resolved("partner.example.com", 443, allow_private=False, resolve=private)
    await check_resolved("partner.example.com", 443, allow_private=False, resolve=public)
    await check_resolved("partner.example.com", 443, allow_private=True, resolve=private)


def test_the_signature_is_base64_hmac_sha256_of_the_body():
    body = b'{"type":"EPCISQueryDocument"}'
    expected = base64.b64encode(hmac.new(b"token", body, hashlib.sha256).digest()).decode()
    assert signature("token", body) == expected
