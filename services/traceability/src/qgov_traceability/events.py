"""The events the traceability service publishes on `qgov.traceability`."""

from qgov_shared.events import EventData

EVENTS: tuple[type[EventData], ...] = ()
