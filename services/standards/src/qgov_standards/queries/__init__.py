"""The standards service's reads, by concern: `declarations` (declarations, versions, checks,
flags), `catalogue` (standards and limits), `rankings` (plans, rankings, placements) and
`search`. Routes and use cases read only through these."""

from sqlalchemy import literal

from qgov_standards.facts import State
from qgov_standards.models import Declaration

PUBLISHED = Declaration.status == literal(State.PUBLISHED.value, literal_execute=True)
"""`status = 'published'` written into the statement, not bound. The GIN indexes on terms and
standard numbers hold published declarations only, and the generic plan PostgreSQL settles on
for a prepared statement after five runs cannot match `status = $1` to such a partial index:
it scans the table (a two-character search at 20,000 declarations: 6 ms by the index, 90 ms
scanning)."""
