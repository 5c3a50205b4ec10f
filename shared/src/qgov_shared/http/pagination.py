"""Keyset pagination: stable pages by an ordered, unique key, never by OFFSET.

A cursor is the opaque, URL-safe encoding of the last row's key values; the next page asks for
rows strictly after them. Pages stay correct while rows are being added and cost the same at
any depth.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Select, TypeDecorator, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.http.problems import ProblemException

Item = TypeVar("Item")
MAX_LIMIT = 500


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = None


class PageRequest(BaseModel):
    cursor: str | None = None
    limit: int = 50


async def page_request(
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> PageRequest:
    return PageRequest(cursor=cursor, limit=limit)


PageRequestDep = Annotated[PageRequest, Depends(page_request)]


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as error:
        raise _bad_cursor() from error
    if not isinstance(values, list) or len(values) != width:
        raise _bad_cursor()
    return values


def _typed(values: list[Any], key: Sequence[ColumnElement]) -> list[Any]:
    """The cursor's values as the key columns' Python types (JSON gives text for timestamps);
    a value that does not fit its column is a bad cursor, not a database error."""
    try:
        return [
            TypeAdapter(_python_type(column)).validate_python(value)
            for value, column in zip(values, key, strict=True)
        ]
    except ValidationError as error:
        raise _bad_cursor() from error


def _python_type(column: ColumnElement) -> Any:
    column_type = column.type
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return column_type.python_type
    except NotImplementedError:
        return Any


def _bad_cursor() -> ProblemException:
    return ProblemException(
        422,
        "The cursor is not one this API issued.",
        errors=[{"parameter": "cursor", "in": "query", "detail": "unknown cursor"}],
    )


async def keyset_page(
    session: AsyncSession,
    query: Select,
    key: Sequence[ColumnElement],
    request: PageRequest,
) -> tuple[list[Any], str | None]:
    """Rows of `query` after the cursor, ordered by `key` (ascending, unique together)."""
    if request.cursor:
        after = _typed(decode_cursor(request.cursor, len(key)), key)
        query = query.where(tuple_(*key) > tuple_(*after))
    rows = (await session.execute(query.order_by(*key).limit(request.limit + 1))).all()
    has_more = len(rows) > request.limit
    rows = rows[: request.limit]
    next_cursor = encode_cursor(_key_values(rows[-1], key)) if has_more else None
    return rows, next_cursor


def _key_values(row: Any, key: Sequence[ColumnElement]) -> list[Any]:
    """The key's values in one row, whether the query selected the columns themselves or the
    entities that own them (`select(Ping)` gives rows holding a `Ping`, not its `id`)."""
    values = []
    for column in key:
        try:
            values.append(row._mapping[column])
        except KeyError:
            owner = getattr(column, "class_", None)
            entity = next(item for item in row if owner is not None and isinstance(item, owner))
            values.append(getattr(entity, column.key))
    return values
