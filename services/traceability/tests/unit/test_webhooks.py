"""The signature a subscription's delivery carries (where it may go is the shared destination
check, `shared/tests/unit/test_destinations.py`)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from qgov_traceability.webhooks import signature


def test_the_signature_is_base64_hmac_sha256_of_the_body():
    body = b'{"type":"EPCISQueryDocument"}'
    expected = base64.b64encode(hmac.new(b"token", body, hashlib.sha256).digest()).decode()
    assert signature("token", body) == expected
