"""Writes the contracts made from code: each installed service's OpenAPI document to
`contracts/openapi/<service>.json`, and the JSON Schema of each event type it publishes to
`contracts/schemas/<service>/<entity>.<action>.vN.json`."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from qgov_shared.service import installed_services


def openapi_documents() -> dict[str, dict[str, Any]]:
    """Each installed service's OpenAPI document, built from its app with default settings."""
    documents = {}
    for spec in installed_services():
        module, factory = spec.app_factory.split(":")
        app = getattr(importlib.import_module(module), factory)()
        documents[spec.name] = app.openapi()
    return documents


def write_openapi(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for service, document in openapi_documents().items():
        path = folder / f"{service}.json"
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def event_schemas() -> dict[str, dict[str, Any]]:
    """Each published event type's schema, by its path under `contracts/schemas/`."""
    return {
        model.contract_path(): model.contract()
        for spec in installed_services()
        for model in spec.event_models()
    }


def write_event_schemas(folder: Path) -> list[Path]:
    written = []
    for relative, schema in event_schemas().items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
        written.append(path)
    return written
