"""What several pages share: safe redirects, idempotency keys for forms, path segments."""

from __future__ import annotations

import re
import secrets
from urllib.parse import quote

_LOCAL_PATH = re.compile(r"^/(?![/\\])[\x21-\x7e]{0,500}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def local_path(target: str) -> str:
    """`target` when it is a path on this site, else the home page: a redirect never leaves
    the site."""
    return target if _LOCAL_PATH.match(target) else "/"


def new_form_key() -> str:
    """A form's idempotency key: rendered into the form, so sending it twice files once."""
    return secrets.token_urlsafe(24)


def form_key(value: object) -> str | None:
    return value if isinstance(value, str) and _KEY.match(value) else None


def segment(value: str) -> str:
    return quote(value, safe="")
