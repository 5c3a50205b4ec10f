"""HTTP conventions every QGov API follows."""
