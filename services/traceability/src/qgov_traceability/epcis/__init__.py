"""GS1 EPCIS 2.0 as pure functions: identifiers (EPC URNs and GS1 Digital Link URIs, one
canonical form), the Core Business Vocabulary, the canonical event hash, document validation
and the standard query parameters. Nothing here does I/O or knows the web framework."""
