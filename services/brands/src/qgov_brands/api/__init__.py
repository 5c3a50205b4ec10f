"""The brands HTTP API, a router per concern: `brands` (the registry and transfers),
`applications` (applying, stages, review, objections), `committee` (reviewers, a round's
proposal, revocation) and `public` (programmes, holders, notices, awards). Routes parse, call
a use case (`handlers`) or a read (`queries`), and present (`views`)."""
