"""One page of an entity's rows, by a unique ascending key (the routes present them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from qgov_shared.http.pagination import Page, PageRequest, keyset_page


async def page_of(session: AsyncSession, query: Select, key: list[Any], page: PageRequest) -> Page:
    rows, cursor = await keyset_page(session, query, key, page)
    return Page(items=[row[0] for row in rows], next_cursor=cursor)
