"""Writes each installed service's OpenAPI document to `contracts/openapi/<service>.json`."""

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
