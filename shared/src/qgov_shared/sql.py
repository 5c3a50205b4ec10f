"""Hot-path writes straight through asyncpg, inside the unit of work's transaction.

SQLAlchemy spends a few hundred microseconds of CPU on each statement it runs (the compiled
cache lookup, ORM bulk persistence, the greenlet bridge to asyncpg). On a path that runs
thousands of times a second that is most of the request, so the outbox and the busiest inserts
go to asyncpg directly. A `FastInsert` compiles its SQL once from the table's own columns, so the
statement cannot drift from the model, and applies the columns' scalar defaults as SQLAlchemy
would. Everything it writes commits or rolls back with the rest of the unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import asyncpg
from sqlalchemy import JSON, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection


async def driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under `connection`, inside its transaction: statements sent on
    it commit or roll back with that transaction."""
    adapted = (await connection.get_raw_connection()).dbapi_connection
    # A pooled connection the server closed (a restart, a failover) is discarded here, and the
    # caller told to try again: SQLAlchemy learns of it only from its own statements, so it
    # would hand the same dead connection out again and again.
    if adapted.driver_connection.is_closed():
        raise await _discarded(connection)
    # SQLAlchemy's asyncpg adapter opens the transaction lazily, at its first statement; a
    # statement sent around it first would run (and commit) on its own.
    if not adapted._started:
        try:
            await adapted._start_transaction()
        except Exception as error:  # BEGIN fails only on a broken connection (cut mid-state)
            raise await _discarded(connection) from error
    return adapted.driver_connection


async def _discarded(connection: AsyncConnection) -> Exception:
    """Invalidate `connection` (the pool closes it); the error that tells callers to retry."""
    await connection.invalidate()
    return asyncpg.exceptions.ConnectionDoesNotExistError(
        "the connection to the database is broken"
    )


class FastInsert:
    """`INSERT INTO table (columns given) VALUES (...) [RETURNING columns]`, one statement text
    per set of columns, each compiled once."""

    def __init__(self, table: Table, *, returning: str | tuple[str, ...] = ()) -> None:
        self._table = table
        self._returning = (returning,) if isinstance(returning, str) else returning
        self._json = {c.name for c in table.columns if isinstance(c.type, JSON | JSONB)}
        self._defaults: dict[str, Any] = {}
        for column in table.columns:
            if column.default is None:
                continue
            if not column.default.is_scalar:
                raise TypeError(f"{table.name}.{column.name}: only scalar defaults apply here")
            self._defaults[column.name] = column.default.arg
        self._statements: dict[tuple[str, ...], str] = {}

    async def one(self, connection: asyncpg.Connection, values: Mapping[str, Any]) -> Any:
        """Insert one row; the `returning` column's value, or a record of the `returning`
        columns when there are several (None without any)."""
        names, arguments = self._arguments(values)
        if len(self._returning) > 1:
            return await connection.fetchrow(self._sql(names), *arguments)
        return await connection.fetchval(self._sql(names), *arguments)

    async def many(self, connection: asyncpg.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows that all name the same columns, in one round trip."""
        if not rows:
            return
        names, first = self._arguments(rows[0])
        if len(rows) == 1:  # the usual case (one event a commit): execute spends less CPU
            await connection.execute(self._sql(names), *first)
            return
        await connection.executemany(self._sql(names), [self._arguments(r)[1] for r in rows])

    def _arguments(self, values: Mapping[str, Any]) -> tuple[tuple[str, ...], list[Any]]:
        row = {**self._defaults, **values}
        names = tuple(row)
        return names, [self._bind(name, row[name]) for name in names]

    def _bind(self, name: str, value: Any) -> Any:
        # SQLAlchemy's asyncpg dialect gives json/jsonb a text codec: it expects JSON text.
        if name in self._json and value is not None:
            return json.dumps(value, ensure_ascii=False)
        return value

    def _sql(self, names: tuple[str, ...]) -> str:
        statement = self._statements.get(names)
        if statement is None:
            statement = self._statements[names] = self._compile(names)
        return statement

    def _compile(self, names: Iterable[str]) -> str:
        names = list(names)
        unknown = (set(names) | set(self._returning)) - set(self._table.columns.keys())
        if unknown:
            raise KeyError(f"{self._table.name} has no column {', '.join(sorted(unknown))}")
        columns = ", ".join(f'"{name}"' for name in names)
        placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
        returned = ", ".join(f'"{name}"' for name in self._returning)
        returning = f" RETURNING {returned}" if returned else ""
        return f'INSERT INTO "{self._table.name}" ({columns}) VALUES ({placeholders}){returning}'
