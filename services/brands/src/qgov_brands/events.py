"""The events the brands service publishes on `qgov.brands`."""

from qgov_shared.events import EventData

EVENTS: tuple[type[EventData], ...] = ()
