"""Who is calling: verifying the gateway's access tokens, and FastAPI dependencies that ask.

The gateway signs JWTs with an asymmetric key and publishes the public half as a JWKS. Every
service verifies tokens against that JWKS; none holds a secret that could mint one. The app
factory puts a `TokenVerifier` on `app.state.token_verifier`; routes depend on `get_principal`
(anyone, maybe anonymous) or `require_roles(...)` (authenticated, one of those roles).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Protocol

import httpx
import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qgov_shared.clock import Clock, system_clock
from qgov_shared.settings import ServiceSettings
from qgov_shared.uscc import InvalidCreditCode, is_region_code, parse_credit_code, region_covers

ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA")
"""Asymmetric only: a symmetric (HS*) token could be forged by anyone holding the public key."""

REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp", "iat")


class Role(StrEnum):
    CITIZEN = "citizen"
    ENTERPRISE = "enterprise"
    REGULATOR = "regulator"
    ADMIN = "admin"
    REVIEWER = "reviewer"  # an expert assessing award applications assigned to them (brands)


@dataclass(frozen=True)
class Principal:
    """The caller: a client of the gateway, or the anonymous citizen (empty subject)."""

    subject: str
    role: Role
    credit_code: str | None = None
    regions: tuple[str, ...] = ()

    @property
    def is_anonymous(self) -> bool:
        return not self.subject

    def can_act_for_enterprise(self, credit_code: str) -> bool:
        if self.role is Role.ADMIN:
            return True
        return self.role is Role.ENTERPRISE and self.credit_code == credit_code

    def covers_region(self, region_code: str) -> bool:
        if self.role is Role.ADMIN:
            return True
        return any(region_covers(scope, region_code) for scope in self.regions)


ANONYMOUS = Principal(subject="", role=Role.CITIZEN)


class InvalidToken(Exception):
    """A token we refuse; `reason` is machine-readable, the message is for the caller."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class UnknownKeyId(LookupError):
    pass


class JwksUnavailable(Exception):
    """The JWKS could not be fetched, so no token signed by an unknown key can be judged."""


class KeySource(Protocol):
    """Where a verifier finds the public key of a `kid`: a JWKS, or the gateway's own keys."""

    async def get(self, kid: str) -> jwt.PyJWK: ...


class JwksKeySource:
    """Public signing keys by `kid`, from a JWKS URL or a fixed JWKS.

    An unknown `kid` usually means the gateway rotated its key, so it triggers one refetch; but
    refetches are spaced at least `min_refetch_interval_s` apart, so tokens with made-up kids
    cannot turn every request into a call to the gateway.
    """

    def __init__(
        self,
        url: str | None,
        *,
        client: httpx.AsyncClient | None = None,
        min_refetch_interval_s: float = 60.0,
        fetch_timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keys fetched lazily from `url`; with no `client`, each (rare) fetch opens its own."""
        self._url = url
        self._client = client
        self._min_refetch_interval_s = min_refetch_interval_s
        self._fetch_timeout_s = fetch_timeout_s
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._last_fetch_failed = False
        # Requests arriving together with a new kid wait for one fetch rather than each making one.
        self._fetch_lock = asyncio.Lock()

    @classmethod
    def from_jwks(cls, jwks: Mapping[str, Any]) -> JwksKeySource:
        """Fixed keys: for tests, and for the gateway verifying the tokens it signs."""
        source = cls(url=None)
        source._keys = _parse_jwks(jwks)
        return source

    async def get(self, kid: str) -> jwt.PyJWK:
        """The key for `kid`; raises `UnknownKeyId`, or `JwksUnavailable` if we cannot tell."""
        # A fetch in flight counts as due for whoever arrives meanwhile: they wait for its keys
        # instead of finding none yet.
        due = self._fetch_due() or self._fetch_lock.locked()
        if self._url is not None and kid not in self._keys and due:
            async with self._fetch_lock:
                if kid not in self._keys and self._fetch_due():
                    await self._fetch(self._url)
        if kid in self._keys:
            return self._keys[kid]
        if self._last_fetch_failed:
            raise JwksUnavailable(f"the signing keys at {self._url} could not be fetched")
        raise UnknownKeyId(kid)

    def _fetch_due(self) -> bool:
        return (
            self._fetched_at is None
            or self._clock() - self._fetched_at >= self._min_refetch_interval_s
        )

    async def _fetch(self, url: str) -> None:
        self._fetched_at = self._clock()
        try:
            self._keys = _parse_jwks(await self._download(url))
        except (httpx.HTTPError, ValueError) as error:
            self._last_fetch_failed = True
            raise JwksUnavailable(f"the signing keys at {url} could not be fetched") from error
        self._last_fetch_failed = False

    async def _download(self, url: str) -> Any:
        if self._client is not None:
            response = await self._client.get(url)
            return response.raise_for_status().json()
        async with httpx.AsyncClient(timeout=self._fetch_timeout_s) as client:
            response = await client.get(url)
            return response.raise_for_status().json()


def _parse_jwks(jwks: Any) -> dict[str, jwt.PyJWK]:
    """The usable signing keys by kid; keys without a kid or with a disallowed alg are left out."""
    if not isinstance(jwks, Mapping) or not isinstance(jwks.get("keys"), list):
        raise ValueError("a JWKS is an object with a list of keys")
    keys: dict[str, jwt.PyJWK] = {}
    for jwk in jwks["keys"]:
        if not isinstance(jwk, dict) or "kid" not in jwk or jwk.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(jwk)
        except jwt.PyJWTError:
            continue
        # The key fixes its algorithm, so a token's header cannot pick a weaker one.
        if key.algorithm_name in ALLOWED_ALGORITHMS:
            keys[jwk["kid"]] = key
    if not keys:
        raise ValueError("the JWKS holds no usable signing key")
    return keys


class TokenVerifier:
    """Turns a bearer token into a `Principal`, or raises `InvalidToken`."""

    def __init__(
        self,
        keys: KeySource,
        issuer: str,
        audience: str,
        leeway_s: float = 30,
        clock: Clock = system_clock,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway_s = leeway_s
        self._clock = clock

    @classmethod
    def from_settings(
        cls,
        settings: ServiceSettings,
        client: httpx.AsyncClient | None = None,
        clock: Clock = system_clock,
    ) -> TokenVerifier:
        if settings.jwks_url is None:
            raise ValueError("QGOV_JWKS_URL is needed to verify access tokens")
        keys = JwksKeySource(settings.jwks_url, client=client)
        return cls(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience, clock=clock)

    async def verify(self, token: str) -> Principal:
        kid = _signing_key_id(token)
        try:
            key = await self._keys.get(kid)
        except UnknownKeyId:
            raise InvalidToken("unknown_key", "the token is signed by an unknown key") from None
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=list(ALLOWED_ALGORITHMS),
                audience=self._audience,
                issuer=self._issuer,
                # PyJWT reads the wall clock; the times are checked below against ours.
                options={
                    "require": list(REQUIRED_CLAIMS),
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError as error:
            raise _refusal(error) from error
        _check_validity_period(claims, self._clock().timestamp(), self._leeway_s)
        return _principal_from(claims)


def _check_validity_period(claims: Mapping[str, Any], now: float, leeway_s: float) -> None:
    times = {name: claims.get(name) for name in ("exp", "iat", "nbf")}
    for name, value in times.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidToken("malformed", f"the token's {name} claim must be a number")
    if times["exp"] <= now - leeway_s:
        raise InvalidToken("expired", "the token has expired")
    if any(times[name] is not None and times[name] > now + leeway_s for name in ("iat", "nbf")):
        raise InvalidToken("not_yet_valid", "the token is not valid yet")


def _signing_key_id(token: str) -> str:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed", "the token is not a well-formed JWT") from None
    if header.get("alg") not in ALLOWED_ALGORITHMS:
        raise InvalidToken(
            "algorithm", f"the token's algorithm must be one of {', '.join(ALLOWED_ALGORITHMS)}"
        )
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("missing_key_id", "the token's header has no key id (kid)")
    return kid


_REFUSALS: tuple[tuple[type[jwt.PyJWTError], str, str], ...] = (
    # Subclasses before their parents: the first match wins.
    (jwt.InvalidAudienceError, "audience", "the token is not meant for this audience"),
    (jwt.InvalidIssuerError, "issuer", "the token was not issued by the gateway"),
    (jwt.MissingRequiredClaimError, "missing_claim", "the token lacks a required claim"),
    (jwt.InvalidSignatureError, "signature", "the token's signature does not verify"),
    (jwt.InvalidAlgorithmError, "algorithm", "the token's algorithm does not match its key"),
    (jwt.DecodeError, "malformed", "the token is not a well-formed JWT"),
)


def _refusal(error: jwt.PyJWTError) -> InvalidToken:
    for error_type, reason, message in _REFUSALS:
        if isinstance(error, error_type):
            return InvalidToken(reason, message)
    return InvalidToken("invalid", f"the token is invalid: {error}")


def _principal_from(claims: Mapping[str, Any]) -> Principal:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("subject", "the token's subject (sub) must be a non-empty string")
    try:
        role = Role(claims.get("role"))
    except ValueError:
        raise InvalidToken("role", f"the token's role must be one of {', '.join(Role)}") from None
    credit_code = _credit_code_claim(claims.get("credit_code"), role)
    regions = _regions_claim(claims.get("regions"), role)
    return Principal(subject=subject, role=role, credit_code=credit_code, regions=regions)


def _credit_code_claim(value: Any, role: Role) -> str | None:
    if role is not Role.ENTERPRISE:
        if value is not None:
            raise InvalidToken("role_claims", f"a {role} token must not carry a credit_code")
        return None
    if not isinstance(value, str):
        raise InvalidToken("role_claims", "an enterprise token must carry one credit_code")
    try:
        return parse_credit_code(value).value
    except InvalidCreditCode as error:
        raise InvalidToken(
            "role_claims", f"the token's credit_code is invalid: {error.message}"
        ) from None


def _regions_claim(value: Any, role: Role) -> tuple[str, ...]:
    if role is not Role.REGULATOR:
        if value:
            raise InvalidToken("role_claims", f"a {role} token must not carry regions")
        return ()
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(code, str) and is_region_code(code) for code in value)
    ):
        raise InvalidToken(
            "role_claims", "a regulator token must carry regions: a list of 6-digit region codes"
        )
    return tuple(value)


_bearer = HTTPBearer(auto_error=False, description="An access token from POST /oauth/token")


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, or `ANONYMOUS` without a token. A token that fails is refused, not ignored,
    so a client with a broken token learns it rather than silently losing its rights."""
    if credentials is None:
        return ANONYMOUS
    verifier: TokenVerifier | None = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="This service accepts no access tokens: it has no signing keys (QGOV_JWKS_URL)",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    try:
        return await verifier.verify(credentials.credentials)
    except InvalidToken as error:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=f"Invalid access token: {error.message}",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None
    except JwksUnavailable:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="Access tokens cannot be verified right now; try again shortly",
        ) from None


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting only authenticated callers with one of `roles`."""
    if not roles:
        raise ValueError("require_roles needs at least one role; use get_principal for anyone")
    allowed = frozenset(roles)

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if principal.is_anonymous:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="This endpoint needs an access token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if principal.role not in allowed:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"This endpoint is for {' or '.join(sorted(allowed))}, not {principal.role}",
            )
        return principal

    principal_with_role.admits = allowed  # what the API documents (qgov_shared.http.openapi)
    return principal_with_role
