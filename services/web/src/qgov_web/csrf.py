"""CSRF tokens for every form (signed double submit): the token is an HMAC of what binds the
browser to the site, its session id once signed in and otherwise a random visitor cookie.
A page on another site can make the browser send the cookie, but cannot read it or the form,
so it cannot know the token; a new session (signing in or out) changes every token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

VISITOR_COOKIE = "qgov_visitor"
FIELD = "csrf_token"
_PURPOSE = b"qgov-web-csrf:"


def new_binding() -> str:
    """A fresh random value for the visitor cookie."""
    return secrets.token_urlsafe(32)


class CsrfSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(_PURPOSE + secret.encode()).digest()

    def token_for(self, binding: str) -> str:
        return hmac.new(self._key, binding.encode(), hashlib.sha256).hexdigest()

    def is_valid(self, binding: str | None, token: str | None) -> bool:
        if not binding or not token:
            return False
        return hmac.compare_digest(self.token_for(binding), token)
