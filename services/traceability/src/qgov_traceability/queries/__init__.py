"""Every read of the traceability service, by concern: `events` (the EPCIS query), `graph`
(tracing over the graph built at capture), `parties` (who owns a GS1 company prefix),
`public` (a trace code's page), `records` (certificates, recalls, jobs, named queries).
No route runs SQL."""
