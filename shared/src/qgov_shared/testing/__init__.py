"""Helpers for testing QGov services: fixtures, test keys and tokens."""
