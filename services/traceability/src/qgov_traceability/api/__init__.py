"""The traceability HTTP API: the EPCIS 2.0 REST binding under /epcis (`capture`, `events`,
`named_queries`), tracing and company prefixes (`tracing`), certificates, recalls, and the
public trace pages with their GS1 Digital Link resolver (`public`). Routes parse, call a use
case (`handlers`) or a read (`queries`), and present (`views`)."""
