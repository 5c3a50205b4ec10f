"""Region scope in SQL: rows whose region code lies in a regulator's regions (a code covers
itself and its subdivisions, `440200` every code starting `4402`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, func, literal_column, or_, true

from qgov_shared.uscc import REGION_CODE_LENGTH, region_prefix


def in_regions(column: ColumnElement, scopes: Sequence[str]) -> ColumnElement[bool]:
    """Codes in any of `scopes` (nothing when empty), spelled `left(code, n) = prefix` so an
    index on `left(code, n)` per region level serves it. `n` is written into the SQL, not
    bound: a cached generic plan would see `left(region_code, $2)` and could use no index."""
    conditions = []
    for scope in scopes:
        prefix = region_prefix(scope)
        if len(prefix) == REGION_CODE_LENGTH:
            conditions.append(column == prefix)
        else:
            conditions.append(func.left(column, literal_column(str(len(prefix)))) == prefix)
    return or_(*conditions) if conditions else false()


def in_regions_or_everywhere(column: ColumnElement, scopes: Sequence[str]) -> ColumnElement[bool]:
    """As `in_regions`, but no scopes means every region (an admin's view)."""
    return in_regions(column, scopes) if scopes else true()
