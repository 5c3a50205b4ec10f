"""How a filer follows a submission: a tracking number to quote, and a secret token shown
once. Only the token's digest is stored, so a leaked table cannot be used to follow cases."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date

from qgov_complaints.domain import Kind

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud on a phone


def new_tracking_number(kind: Kind, today: date) -> str:
    """T (投诉) or J (举报), the day of filing, and eight characters that are hard to mishear."""
    suffix = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{'T' if kind is Kind.COMPLAINT else 'J'}{today:%Y%m%d}{suffix}"


def new_token() -> str:
    return secrets.token_urlsafe(18)


def token_digest(token: str) -> str:
    """How a tracking token is stored: only its digest, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(stored_digest: str, token: str) -> bool:
    return hmac.compare_digest(stored_digest, token_digest(token))
