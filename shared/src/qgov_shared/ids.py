"""Row ids as QGov's tables hold them: positive PostgreSQL BIGINT identities.

Type every id a caller sends (in a path, a query or a body) `RowId`, and every id column
`BigInteger`: asyncpg cannot encode an integer beyond the column's range, so an unbounded id
would fail in the database as a 500 instead of being refused as a 422 naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

BIGINT_LIMIT = 2**63
"""One past the largest BIGINT; an exclusive bound stays exact where a document turns it into
a float (2^63 is one, 2^63 - 1 is not)."""

RowId = Annotated[int, Field(ge=1, lt=BIGINT_LIMIT)]
