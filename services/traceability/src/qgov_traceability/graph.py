"""The kinds of node in the trace graph, read off the canonical identifier: the GS1 key of a
Digital Link says whether it names an item, a lot, a product, a container, a place or a
party. Pure; the graph itself lives in `trace_nodes` and `trace_edges`."""

from __future__ import annotations

from qgov_traceability.epcis.identifiers import DIGITAL_LINK_ROOT
from qgov_traceability.epcis.reading import EdgeKind

TRANSFORMATION_PREFIX = "urn:qgov:transformation:"
PARTY_KINDS = frozenset({"party", "location"})
_BY_KEY = {
    "00": "container",
    "414": "location",
    "417": "party",
    "8003": "asset",
    "8004": "asset",
    "253": "document",
}
EDGE_NAMES = {kind: kind.name.lower() for kind in EdgeKind}


def kind_of(uri: str) -> str:
    if uri.startswith(TRANSFORMATION_PREFIX):
        return "transformation"
    if not uri.startswith(DIGITAL_LINK_ROOT + "/"):
        return "other"
    parts = uri.removeprefix(DIGITAL_LINK_ROOT + "/").split("/")
    if parts[0] in ("01", "8006"):
        qualifier = parts[2] if len(parts) > 2 else None
        return {"21": "item", "235": "item", "10": "lot"}.get(qualifier or "", "product")
    return _BY_KEY.get(parts[0], "other")
