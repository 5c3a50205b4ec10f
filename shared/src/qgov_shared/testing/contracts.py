"""The event contracts in `contracts/`, for tests that check what a service really emits.

`Contracts.check(event)` validates an event's envelope against `schemas/cloudevent.json` and its
`data` against the schema its `dataschema` names; `published_events` reads what a running
service wrote to its outbox, so a test can hold every emitted event to its contract.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from qgov_shared.backbone import outbox_events
from qgov_shared.envelope import CloudEvent

ENVELOPE_ID = "urn:qgov:schema:cloudevent"


class ContractViolation(AssertionError):
    pass


class Contracts:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.schemas = {
            schema["$id"]: schema
            for path in sorted((root / "schemas").rglob("*.json"))
            if (schema := json.loads(path.read_text()))
        }
        self._registry = Registry().with_resources(
            (schema_id, Resource.from_contents(schema))
            for schema_id, schema in self.schemas.items()
        )
        self.asyncapi = yaml.safe_load((root / "asyncapi.yaml").read_text())

    def declared_event_types(self) -> set[str]:
        """The event types `asyncapi.yaml` declares as messages."""
        return {message["name"] for message in self.asyncapi["components"]["messages"].values()}

    def check(self, event: CloudEvent | dict[str, Any]) -> None:
        document = json.loads(event.to_json()) if isinstance(event, CloudEvent) else event
        self._validate(ENVELOPE_ID, document, "envelope")
        event_type = document["type"]
        if event_type not in self.declared_event_types():
            raise ContractViolation(f"{event_type} is not declared in contracts/asyncapi.yaml")
        if document["dataschema"] not in self.schemas:
            raise ContractViolation(f"{event_type}: no schema with $id {document['dataschema']}")
        self._validate(document["dataschema"], document["data"], f"{event_type} data")

    def _validate(self, schema_id: str, instance: Any, what: str) -> None:
        validator = Draft202012Validator(
            self.schemas[schema_id], registry=self._registry, format_checker=FormatChecker()
        )
        errors = [
            f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in validator.iter_errors(instance)
        ]
        if errors:
            raise ContractViolation(f"{what} breaks its contract: " + "; ".join(errors))


def find_contracts(start: Path) -> Contracts:
    """The `contracts/` folder of the repository that holds `start`."""
    for folder in (start, *start.parents):
        if (folder / "contracts" / "asyncapi.yaml").exists():
            return Contracts(folder / "contracts")
    raise FileNotFoundError(f"no contracts/asyncapi.yaml above {start}")


async def published_events(engine: AsyncEngine) -> list[dict[str, Any]]:
    """Every event a service has written to its outbox, oldest first, as published JSON."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(outbox_events.c.payload).order_by(outbox_events.c.id)
        )
        return [json.loads(payload) for (payload,) in rows]
