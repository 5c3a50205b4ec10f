"""The platform's operations as its committed OpenAPI documents (`contracts/openapi/`) declare
them, and requests that reach each one: its path with a value for every parameter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgov_shared.http.openapi import ROLES_EXTENSION
from qgov_shared.testing.codes import credit_code

CONTRACTS = Path(__file__).parents[2] / "contracts" / "openapi"
# Served by the gateway's address for browsers (web), or not deployed behind it (demo).
NOT_BEHIND_THE_GATEWAY = frozenset({"web", "demo"})
METHODS = frozenset({"get", "put", "post", "delete", "patch"})
A_CODE = credit_code(9)


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    path: str
    roles: frozenset[str]
    document: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.service})"

    @property
    def url(self) -> str:
        """The path with each parameter filled in with a value of its type."""
        url = self.path
        for parameter in self.document.get("parameters", []):
            if parameter["in"] == "path":
                url = url.replace(f"{{{parameter['name']}}}", _value(parameter))
        return url


def documents() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted(CONTRACTS.glob("*.json")):
        if path.stem not in NOT_BEHIND_THE_GATEWAY:
            yield path.stem, json.loads(path.read_text(encoding="utf-8"))


def operations() -> list[Operation]:
    return [
        Operation(service, method, path, frozenset(op.get(ROLES_EXTENSION) or ()), op)
        for service, document in documents()
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def _value(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    if schema.get("type") == "integer":
        return "1"
    name = parameter["name"]
    return A_CODE if "credit_code" in name else "1"
