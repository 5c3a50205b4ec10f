"""The standards service's reads, by concern: `declarations` (declarations, versions, checks,
flags), `catalogue` (standards and limits), `rankings` (plans, rankings, placements) and
`search`. Routes and use cases read only through these."""
