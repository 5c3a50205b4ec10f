"""What the gateway reads of other services' events, one module per source service: its own
model of each event type it projects (written from the producer's contract in `contracts/`
and held to it by `tests/test_contracts.py`: each type is declared in `asyncapi.yaml`, each
field read here is in the producer's schema, required there when required here, nullable here
when nullable there, and each vocabulary here is the producer's enum, value for value), and
what applying it writes to the read model (`base.Chunk`).

The gateway imports no other service's package, so a producer can only break what the gateway
reads by changing its contract, and that test fails when it does.

To take in a new service's events: write `projections/<service>.py` with its models, its
`PROJECTIONS` (event type → `Projection`) and, if its events fill a list of the profile
(`awards`, `standards`, `recalls`, `certificates`, `inspections`), its `SECTIONS`; if it
counts in the regulators' overview, its `OVERVIEW` parts; add its tables in a migration; and
add the module to `SOURCES` below.
"""

from __future__ import annotations

from types import ModuleType

from qgov_gateway.projections import (
    brands,
    complaints,
    credit,
    inspections,
    standards,
    traceability,
)
from qgov_gateway.projections.base import ProfileSection, Projection
from qgov_gateway.projections.overview import OverviewPart

SOURCES: tuple[ModuleType, ...] = (credit, complaints, brands, standards, traceability, inspections)

# Where each event type a service publishes reaches the read model; a type not here only
# advances its source's watermark.
PROJECTIONS: dict[str, Projection] = {
    event_type: projection
    for source in SOURCES
    for event_type, projection in source.PROJECTIONS.items()
}

# The profile's lists each source fills; a list no source fills yet is empty.
SECTIONS: tuple[ProfileSection, ...] = tuple(
    section for source in SOURCES for section in getattr(source, "SECTIONS", ())
)

# The parts of the regulators' overview each source counts, beside the gateway's own.
OVERVIEWS: tuple[OverviewPart, ...] = tuple(
    part for source in SOURCES for part in getattr(source, "OVERVIEW", ())
)
