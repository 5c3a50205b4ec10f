"""Signing keys and access tokens for tests, shaped like the gateway's.

keys = TestKeys()
app.state.token_verifier = keys.verifier()
headers = bearer(keys.mint(role="regulator", regions=["440200"]))
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from qgov_shared.auth import JwksKeySource, Role, TokenVerifier

DEFAULT_ISSUER = "qgov-gateway"
DEFAULT_AUDIENCE = "qgov"
# Tests mint tokens at import (module constants) and use them minutes later: a token lives as
# long as a whole test session may take, so none expires because the suite grew.
SESSION_LONG_S = 3600


class TestKeys:
    """An RSA key pair made once per instance, its JWKS, and tokens signed with it."""

    __test__ = False  # a helper, not a test class, despite its name

    def __init__(
        self,
        *,
        kid: str = "test-key",
        issuer: str = DEFAULT_ISSUER,
        audience: str = DEFAULT_AUDIENCE,
    ) -> None:
        self.kid = kid
        self.issuer = issuer
        self.audience = audience
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    @property
    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def verifier(self) -> TokenVerifier:
        """A verifier that trusts these keys, for `app.state.token_verifier`."""
        return TokenVerifier(JwksKeySource.from_jwks(self.jwks), self.issuer, self.audience)

    def mint(
        self,
        role: Role | str = Role.CITIZEN,
        sub: str = "test-client",
        credit_code: str | None = None,
        regions: list[str] | None = None,
        *,
        expires_in_s: int = SESSION_LONG_S,
        **overrides: Any,
    ) -> str:
        """A signed token; `overrides` replace claims, and an override of None removes one."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": sub,
            "iat": now,
            "exp": now + expires_in_s,
            "role": str(role),
            "credit_code": credit_code,
            "regions": regions,
        }
        claims.update(overrides)
        present = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(present, self.private_key, algorithm="RS256", headers={"kid": self.kid})


def bearer(token: str) -> dict[str, str]:
    """The Authorization header carrying `token`."""
    return {"Authorization": f"Bearer {token}"}
