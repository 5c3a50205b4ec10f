"""CSRF tokens, redirects that never leave the site, form keys, and the production settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qgov_web.csrf import CsrfSigner, new_binding
from qgov_web.dependencies import WebSettings
from qgov_web.pages.common import form_key, local_path, new_form_key


def test_a_token_holds_for_its_binding_only() -> None:
    signer = CsrfSigner("secret")
    binding = new_binding()
    token = signer.token_for(binding)
    assert signer.is_valid(binding, token)
    assert not signer.is_valid(new_binding(), token)
    assert not signer.is_valid(binding, "forged")
    assert not signer.is_valid(binding, None)
    assert not signer.is_valid(None, token)
    assert not CsrfSigner("another secret").is_valid(binding, token)


def test_bindings_are_random() -> None:
    assert len({new_binding() for _ in range(100)}) == 100


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/console/queue", "/console/queue"),
        ("/enterprises/91440203MA0000001T?x=1", "/enterprises/91440203MA0000001T?x=1"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/a\nb", "/"),
    ],
)
def test_a_redirect_stays_on_the_site(target: str, kept: str) -> None:
    assert local_path(target) == kept


def test_a_form_key_is_passed_on_only_when_it_looks_like_one() -> None:
    key = new_form_key()
    assert form_key(key) == key
    assert form_key("short") is None
    assert form_key("with spaces in it, which no key has") is None
    assert form_key(None) is None


def test_production_refuses_the_development_secret_and_cookies_are_secure_there() -> None:
    production = {"environment": "production", "jwks_url": "http://gw/jwks", "demo_secret": "x"}
    with pytest.raises(ValidationError, match="QGOV_WEB_SECRET"):
        WebSettings(**production)
    settings = WebSettings(**production, web_secret="a real secret")
    assert settings.cookies_secure
    assert not WebSettings(environment="development").cookies_secure
