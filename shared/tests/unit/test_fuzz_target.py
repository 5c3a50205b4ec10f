"""The fuzz kit fuzzes a service's own operations as every caller and what it forwards once."""

from __future__ import annotations

from qgov_shared.testing.fuzz import Target


def test_a_target_splits_its_document_into_its_own_and_forwarded_operations() -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {"/oauth/token": {"post": {}}, "/api/v1/complaints": {"post": {}}},
    }
    own, forwarded = Target("http://gw", document, frozenset({"/oauth/token"})).split()

    assert list(own["paths"]) == ["/oauth/token"]
    assert list(forwarded["paths"]) == ["/api/v1/complaints"]
    assert own["openapi"] == forwarded["openapi"] == "3.1.0"
