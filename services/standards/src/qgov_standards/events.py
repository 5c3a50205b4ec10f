"""The events the standards service publishes on `qgov.standards`."""

from qgov_shared.events import EventData

EVENTS: tuple[type[EventData], ...] = ()
