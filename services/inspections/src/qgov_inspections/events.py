"""The events the inspections service publishes on `qgov.inspections`."""

from qgov_shared.events import EventData

EVENTS: tuple[type[EventData], ...] = ()
