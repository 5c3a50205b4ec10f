"""The events the web service publishes on `qgov.web`."""

from qgov_shared.events import EventData

EVENTS: tuple[type[EventData], ...] = ()
