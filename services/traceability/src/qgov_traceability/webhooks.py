"""How a subscription's delivery is signed (GS1-Signature). Where it may be delivered is the
shared destination check (`qgov_shared.http.destinations`): no SSRF."""

from __future__ import annotations

import base64
import hashlib
import hmac

SIGNATURE_HEADER = "GS1-Signature"


def signature(token: str, body: bytes) -> str:
    """HMAC-SHA256 of the body with the subscriber's token, base64: GS1-Signature."""
    return base64.b64encode(hmac.new(token.encode(), body, hashlib.sha256).digest()).decode()
