"""`Idempotency-Key` for POSTs: a retried request gets the first answer, not a second effect.

The key is claimed inside the use case's own transaction and the response is stored in it, so
the effect and the remembered answer commit together or not at all. A concurrent retry waits
on the key's primary key until the first request commits, then replays its answer. The same
key with a different body is a 409.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel
from pydantic_core import to_json
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.auth import CurrentPrincipal
from qgov_shared.backbone import idempotency_keys
from qgov_shared.http.problems import ProblemException
from qgov_shared.uow import UnitOfWork

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
_JSON = "application/json"

Result = TypeVar("Result")


@dataclass(frozen=True)
class IdempotencyKey:
    key: str
    scope: str
    request_hash: str


async def idempotency_key(request: Request, caller: CurrentPrincipal) -> IdempotencyKey | None:
    """The request's key, scoped to its route and verified caller (anonymous callers share
    one scope), with a hash of what it asks."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _VALID_KEY.match(key):
        raise ProblemException(
            400,
            "Idempotency-Key must be 1 to 200 visible ASCII characters.",
            errors=[{"header": HEADER, "detail": "malformed key"}],
        )
    body_hash = hashlib.sha256(await request.body()).hexdigest()
    scope = f"{request.method} {request.url.path} {caller.role}:{caller.subject}"
    return IdempotencyKey(key=key, scope=scope, request_hash=body_hash)


IdempotencyKeyDep = Annotated[IdempotencyKey | None, Depends(idempotency_key)]


async def execute(
    uow: UnitOfWork,
    key: IdempotencyKey | None,
    action: Callable[[UnitOfWork], Awaitable[Result]],
    present: Callable[[Result], BaseModel | list[BaseModel]],
    *,
    status_code: int = 200,
    headers: Callable[[Result], dict[str, str]] | None = None,
) -> Response:
    """Run a use case in one transaction and answer with its presented result.

    With a key, the first successful answer is stored with the effect and replayed for every
    retry of the same request. Failures are not stored: they roll back with everything else.
    """
    async with uow:
        if key is not None and (replay := await _claim(uow.session, key)) is not None:
            return replay
        result = await action(uow)
        # Serialised once, by pydantic: the answer sent and the one remembered are one text.
        body = to_json(present(result), by_alias=True).decode()
        extra = headers(result) if headers else {}
        if key is not None:
            await _remember(uow.session, key, status_code, body, extra)
        await uow.commit()
    return Response(body, status_code=status_code, headers=extra, media_type=_JSON)


async def _claim(session: AsyncSession, key: IdempotencyKey) -> Response | None:
    claimed = await session.execute(
        pg_insert(idempotency_keys)
        .values(scope=key.scope, key=key.key, request_hash=key.request_hash)
        .on_conflict_do_nothing()
        .returning(idempotency_keys.c.key)
    )
    if claimed.first() is not None:
        return None
    stored = (
        await session.execute(
            select(idempotency_keys).where(
                idempotency_keys.c.scope == key.scope, idempotency_keys.c.key == key.key
            )
        )
    ).one()
    if stored.request_hash != key.request_hash:
        raise ProblemException(
            409,
            "This Idempotency-Key was already used with a different request.",
            errors=[{"header": HEADER, "detail": "reused with another body"}],
        )
    return Response(
        stored.response_body,
        status_code=stored.status_code,
        headers={**(stored.response_headers or {}), REPLAYED_HEADER: "true"},
        media_type=_JSON,
    )


async def _remember(
    session: AsyncSession, key: IdempotencyKey, status: int, body: str, headers: dict[str, str]
) -> None:
    await session.execute(
        idempotency_keys.update()
        .where(idempotency_keys.c.scope == key.scope, idempotency_keys.c.key == key.key)
        .values(
            status_code=status,
            response_body=body,
            response_headers=headers,
        )
    )
