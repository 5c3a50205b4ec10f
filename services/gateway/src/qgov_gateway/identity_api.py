"""OAuth2 client credentials, the public signing keys, and enterprise onboarding."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from qgov_gateway import accounts, handlers
from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_shared.app import ClockDep, SessionDep, UnitOfWorkDep
from qgov_shared.auth import Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep, execute
from qgov_shared.http.problems import problem_response
from qgov_shared.http.ratelimit import rate_limited
from qgov_shared.regions import RegionCodeStr
from qgov_shared.uscc import CreditCodeStr

router = APIRouter(tags=["identity"])
Regulator = Annotated[Principal, Depends(require_roles(Role.REGULATOR, Role.ADMIN))]


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


class Onboarding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    credit_code: CreditCodeStr
    name: str = Field(min_length=1, max_length=200)
    region_code: RegionCodeStr | None = None


class Credentials(BaseModel):
    credit_code: str
    client_id: str
    client_secret: str = Field(description="shown once; keep it secret")


@router.post("/oauth/token", response_model=TokenResponse, dependencies=[Depends(rate_limited)])
async def token(
    deps: GatewayDependenciesDep,
    session: SessionDep,
    grant_type: Annotated[str, Form()],
    client_id: Annotated[str, Form(max_length=64)],
    client_secret: Annotated[str, Form(max_length=200)],
):
    """OAuth2 client credentials (RFC 6749 §4.4): a short-lived access token."""
    if grant_type != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is served.")
    settings = deps.settings
    try:
        access_token = await accounts.issue_token(
            session,
            deps.keyring,
            client_id,
            client_secret,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            now=deps.clock(),
            ttl=timedelta(seconds=settings.token_ttl_s),
        )
    except accounts.InvalidClient:
        return _oauth_error(401, "invalid_client", "Unknown client or wrong secret.")
    return TokenResponse(access_token=access_token, expires_in=settings.token_ttl_s)


@router.get("/.well-known/jwks.json")
async def jwks(deps: GatewayDependenciesDep) -> JSONResponse:
    """The public keys that sign QGov access tokens (every key still in use)."""
    keys = await deps.keyring.jwks()
    return JSONResponse(keys, headers={"Cache-Control": "public, max-age=60"})


@router.post(
    "/api/v1/enterprises",
    status_code=status.HTTP_201_CREATED,
    response_model=Credentials,
    dependencies=[Depends(rate_limited)],
    tags=["enterprises"],
)
async def onboard(body: Onboarding, uow: UnitOfWorkDep, key: IdempotencyKeyDep, clock: ClockDep):
    """Onboard an enterprise: client credentials bound to its credit code (once per code)."""

    async def register(uow) -> Credentials:
        now = clock()
        client_id, secret = await accounts.onboard_enterprise(
            uow.session, now, body.credit_code, body.name, body.region_code
        )
        # Its profile answers from now on, under the name it registered.
        await handlers.name_enterprise(
            uow.session, body.credit_code, body.name, body.region_code, now
        )
        return Credentials(credit_code=body.credit_code, client_id=client_id, client_secret=secret)

    return await execute(
        uow, key, register, lambda credentials: credentials, status_code=status.HTTP_201_CREATED
    )


class Suspension(BaseModel):
    credit_code: str
    client_id: str
    suspended: bool


@router.put(
    "/api/v1/enterprises/{credit_code}/suspension", response_model=Suspension, tags=["enterprises"]
)
async def suspend(
    credit_code: CreditCodeStr,
    principal: Regulator,
    uow: UnitOfWorkDep,
    deps: GatewayDependenciesDep,
):
    """Suspend an enterprise's credentials (in your regions): it gets no new tokens, and the
    ones it holds are refused at the gateway."""
    return await _set_suspended(credit_code, True, principal, uow, deps)


@router.delete(
    "/api/v1/enterprises/{credit_code}/suspension", response_model=Suspension, tags=["enterprises"]
)
async def reinstate(
    credit_code: CreditCodeStr,
    principal: Regulator,
    uow: UnitOfWorkDep,
    deps: GatewayDependenciesDep,
):
    """Lift a suspension."""
    return await _set_suspended(credit_code, False, principal, uow, deps)


async def _set_suspended(code: str, suspended: bool, principal, uow, deps) -> Suspension:
    async def change(uow) -> Suspension:
        client = await accounts.set_suspended(uow.session, code, suspended, principal)
        return Suspension(credit_code=code, client_id=client.client_id, suspended=client.suspended)

    shown = await execute(uow, None, change, lambda shown: shown)
    deps.suspended_clients.forget()  # committed: this replica refuses the tokens at once
    return shown


def _oauth_error(status_code: int, error: str, detail: str) -> JSONResponse:
    """A problem document that OAuth2 clients can read too (`error` as RFC 6749 names it)."""
    headers = {"WWW-Authenticate": "Basic"} if status_code == 401 else None
    return problem_response(
        status_code, detail, headers=headers, error=error, error_description=detail
    )
