"""The platform as the pages see it: the gateway's public HTTP API and nothing else, called as
any client would, with the signed-in user's bearer token or none (a citizen).

Answers the pages can act on become exceptions: `ApiProblem` for a refusal the user can
correct or should read (4xx, with its field errors), `TokenRefused` when the token no longer
works (sign in again), and `Unavailable` when the platform cannot answer at all."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx


@dataclass(frozen=True)
class Caller:
    """On whose behalf the pages call: the user's token (None for a citizen) and the address
    the gateway forwarded, so the platform's public rate limit counts the person, not web."""

    token: str | None = None
    forwarded_for: str | None = None
    request_id: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {"accept": "application/json"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        if self.forwarded_for:
            headers["x-forwarded-for"] = self.forwarded_for
        if self.request_id:
            headers["x-request-id"] = self.request_id
        return headers


@dataclass
class ApiProblem(Exception):
    """A problem document the platform answered with (RFC 9457)."""

    status: int
    detail: str
    errors: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"

    def by_field(self) -> dict[str, str]:
        """Each named field's message: body fields by JSON pointer (`#/respondent/name`),
        parameters and headers by name."""
        found: dict[str, str] = {}
        for error in self.errors:
            where = error.get("pointer") or error.get("parameter") or error.get("header")
            if isinstance(where, str):
                found.setdefault(where, str(error.get("detail", "")))
        return found


class TokenRefused(Exception):
    """The platform refused the user's token (expired or revoked): the session is over."""


class Unavailable(Exception):
    """The platform did not answer, or answered with a server error."""


class Platform:
    """One pooled client to the gateway."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(
        self,
        path: str,
        caller: Caller,
        params: Mapping[str, Any] | None = None,
        *,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        headers = dict(extra_headers or {})
        return await self._call("GET", path, caller, params=_present(params), headers=headers)

    async def get_linked(
        self, path: str, caller: Caller, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, str | None]:
        """A page of a list paged by its `Link` header (EPCIS queries), and the next page's
        `nextPageToken`, if there is a next page."""
        try:
            response = await self.client.get(
                path, params=_present(params), headers=caller.headers()
            )
        except httpx.HTTPError as error:
            raise Unavailable(str(error)) from None
        _check(response)
        following = response.links.get("next", {}).get("url", "")
        token = parse_qs(urlsplit(following).query).get("nextPageToken", [None])[0]
        return response.json(), token

    async def get_text(self, path: str, caller: Caller) -> str:
        """A plain-text document (a published list whose hash is checked byte for byte)."""
        headers = {**caller.headers(), "accept": "text/plain"}
        try:
            response = await self.client.get(path, headers=headers)
        except httpx.HTTPError as error:
            raise Unavailable(str(error)) from None
        _check(response)
        return response.text

    async def post(
        self,
        path: str,
        caller: Caller,
        body: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        headers = dict(extra_headers or {})
        if idempotency_key:
            headers["idempotency-key"] = idempotency_key
        return await self._call("POST", path, caller, json=body or {}, headers=headers)

    async def token(self, client_id: str, secret: str, caller: Caller) -> dict[str, Any]:
        """A client-credentials token; a wrong id or secret is an `ApiProblem` (400/401)."""
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        try:
            response = await self.client.post("/oauth/token", data=form, headers=caller.headers())
        except httpx.HTTPError as error:
            raise Unavailable(str(error)) from None
        if response.status_code >= 500:
            raise Unavailable(f"{response.status_code} from /oauth/token")
        if response.status_code != 200:
            raise _problem(response)
        return response.json()

    @contextlib.asynccontextmanager
    async def stream(
        self, path: str, caller: Caller, last_event_id: str | None
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        """A Server-Sent Events stream, passed on as it arrives (no read timeout: the stream's
        own heartbeats keep it alive)."""
        headers = {**caller.headers(), "accept": "text/event-stream"}
        if last_event_id:
            headers["last-event-id"] = last_event_id
        timeout = httpx.Timeout(self.client.timeout.connect, read=None)
        request = self.client.build_request("GET", path, headers=headers, timeout=timeout)
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError as error:
            raise Unavailable(str(error)) from None
        try:
            if response.status_code >= 400:
                await response.aread()
                _check(response)
            yield response.aiter_raw()
        finally:
            await response.aclose()

    async def _call(self, method: str, path: str, caller: Caller, **kwargs: Any) -> Any:
        headers = {**caller.headers(), **kwargs.pop("headers", {})}
        try:
            response = await self.client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            raise Unavailable(str(error)) from None
        _check(response)
        return response.json() if response.content else None


def _check(response: httpx.Response) -> None:
    if response.status_code >= 500:
        raise Unavailable(f"{response.status_code} from {response.request.url.path}")
    if response.status_code == 401:
        raise TokenRefused()
    if response.status_code >= 400:
        raise _problem(response)


def _problem(response: httpx.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    detail = str(body.get("detail") or body.get("title") or response.reason_phrase)
    return ApiProblem(response.status_code, detail, [e for e in errors if isinstance(e, dict)])


def _present(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The query parameters that say something (an empty filter is no filter)."""
    if params is None:
        return None
    return {name: value for name, value in params.items() if value not in (None, "", [])}
