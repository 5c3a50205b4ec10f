"""ASGI middleware for the rules every request meets before a route sees it: a request id,
a body-size limit (413), a time limit for the body to arrive (408) and an accepted media type
for bodies (415)."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qgov_shared.http.problems import problem_response
from qgov_shared.telemetry import request_id

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_BODY_METHODS = {"POST", "PUT", "PATCH"}
_Rule = TypeVar("_Rule")


def _new_request_id() -> str:
    """32 hex digits, as uuid4().hex gave. An id needs to be unique, not secret: the OS's
    random source (uuid4, secrets) is a system call, ~2% of a profile read under load."""
    return f"{random.getrandbits(128):032x}"


class RequestContextMiddleware:
    """Takes the caller's X-Request-ID when it is sane, else makes one, and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, REQUEST_ID_HEADER)
        rid = incoming if incoming and _SAFE_REQUEST_ID.match(incoming) else _new_request_id()
        token = request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


class BodyRulesMiddleware:
    """413 for bodies over `max_bytes` (declared or streamed); 408 for a body not all there
    `timeout_s` after the request began; 415 for unaccepted media types.

    uvicorn waits for a body as long as its client keeps the connection, so a client trickling
    a byte now and then would hold a connection (and a database session, once a route runs)
    for ever; the time limit is on the whole body, since such a client is never idle.

    `media_types` maps path prefixes to what bodies under them may be, and `max_bytes_under`
    to a limit other than `max_bytes` (larger documents under one prefix, say); the longest
    matching prefix wins, and "" is the default for every other path.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        media_types: Mapping[str, Iterable[str]],
        max_bytes_under: Mapping[str, int] | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self.media_types = _longest_first(
            {prefix: frozenset(types) for prefix, types in media_types.items()}
        )
        self.limits = _longest_first({"": max_bytes, **(max_bytes_under or {})})

    def accepted(self, path: str) -> frozenset[str]:
        return _rule_for(self.media_types, path, frozenset())

    def max_bytes(self, path: str) -> int:
        return _rule_for(self.limits, path, 0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes(scope["path"])
        length = _header(scope, "content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _too_large(limit, scope, receive, send)
            return
        media_type = (_header(scope, "content-type") or "").split(";")[0].strip().lower()
        accepted = self.accepted(scope["path"])
        if declares_body(scope) and media_type not in accepted:
            listed = ", ".join(sorted(accepted))
            await problem_response(
                415,
                f"Send the body as one of: {listed}.",
                instance=scope["path"],
                headers={"Accept-Post": listed},
            )(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit, self.timeout_s), send)


def _longest_first(rules: Mapping[str, _Rule]) -> list[tuple[str, _Rule]]:
    return sorted(rules.items(), key=lambda rule: len(rule[0]), reverse=True)


def _rule_for(rules: list[tuple[str, _Rule]], path: str, default: _Rule) -> _Rule:
    return next((rule for prefix, rule in rules if path.startswith(prefix)), default)


def _counting(receive: Receive, limit: int, timeout_s: float) -> Receive:
    received = 0
    complete = False
    deadline = asyncio.get_running_loop().time() + timeout_s

    async def counted() -> Message:
        nonlocal received, complete
        if complete:  # past the body, a route may wait for the disconnect as long as it likes
            return await receive()
        try:  # a deadline on the running task: no task made per message, as wait_for would
            async with asyncio.timeout_at(deadline):
                message = await receive()
        except TimeoutError:
            raise HTTPException(408, f"The body did not arrive within {timeout_s:g} s.") from None
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            complete = not message.get("more_body", False)
            if received > limit:
                raise HTTPException(413, f"The body is larger than {limit} bytes.")
        return message

    return counted


async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    await problem_response(413, f"The body is larger than {limit} bytes.", instance=scope["path"])(
        scope, receive, send
    )


def declares_body(scope: Scope) -> bool:
    """Whether the request says a body follows (HTTP/1.1: a length above 0, or chunks)."""
    length = _header(scope, "content-length")
    return length not in (None, "0") or _header(scope, "transfer-encoding") is not None


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.encode()
    for key, value in scope.get("headers", ()):
        if key.lower() == wanted:
            return value.decode("latin-1")
    return None
