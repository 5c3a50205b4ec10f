"""Run a service's migrations: the shared `backbone` branch and the service's own versions."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from qgov_shared.db import ensure_database
from qgov_shared.service import ServiceSpec

_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(spec: ServiceSpec, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    locations = [str(_MIGRATIONS / "versions"), str(spec.migrations)]
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    config.attributes["database_url"] = database_url
    return config


def upgrade(spec: ServiceSpec, database_url: str) -> None:
    """Create the database if needed and bring it to every branch's head.

    Alembic's env runs its own event loop, so this is a plain function: call it from a thread
    (`asyncio.to_thread`) when already inside a loop.
    """
    asyncio.run(ensure_database(database_url))
    command.upgrade(alembic_config(spec, database_url), "heads")
