"""QGov shared library: mechanisms every service uses, never a service's business rules."""
