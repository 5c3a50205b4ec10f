"""Query results as the standard's EPCISQueryDocument (JSON-LD), with one `@context` that
declares every prefix the events use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"


def merged_context(contexts: Iterable[Any]) -> list[Any]:
    """The standard context, then every other context URL, then one object of all the
    prefixes the events' documents declared (the first declaration of a prefix wins)."""
    urls: list[str] = [EPCIS_CONTEXT]
    prefixes: dict[str, Any] = {}
    for context in contexts:
        for entry in context if isinstance(context, list) else [context]:
            if isinstance(entry, str) and entry not in urls and "epcis-context" not in entry:
                urls.append(entry)
            elif isinstance(entry, dict):
                for prefix, value in entry.items():
                    prefixes.setdefault(prefix, value)
    return [*urls, prefixes] if prefixes else urls


def query_document(
    events: list[dict[str, Any]],
    contexts: Iterable[Any],
    created: datetime,
    *,
    query_name: str = "SimpleEventQuery",
    subscription_id: str | None = None,
) -> dict[str, Any]:
    results: dict[str, Any] = {"queryName": query_name}
    if subscription_id is not None:
        results["subscriptionID"] = subscription_id
    results["resultsBody"] = {"eventList": events}
    return {
        "@context": merged_context(contexts),
        "type": "EPCISQueryDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": created.isoformat().replace("+00:00", "Z"),
        "epcisBody": {"queryResults": results},
    }
