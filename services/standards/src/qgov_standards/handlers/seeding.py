"""Development only: an empty catalogue is seeded with an illustrative sample of national
standards and one evaluation plan (`seed_catalogue.toml`), through the same use cases a
regulator's request runs, so the sample passes the rules every entry must. The composition
root calls it only in the development environment."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from qgov_shared.uow import UnitOfWork
from qgov_standards.handlers import Context
from qgov_standards.handlers.catalogue import add_standard
from qgov_standards.handlers.plans import set_plan
from qgov_standards.models import CatalogueStandard
from qgov_standards.schemas.catalogue import CatalogueStandardCreate
from qgov_standards.schemas.rankings import PlanIn

SEED_FILE = Path(__file__).parents[1] / "seed_catalogue.toml"


def load_sample(path: Path = SEED_FILE) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def seed_catalogue(sample: dict[str, Any], uow: UnitOfWork, ctx: Context) -> int:
    """Seed an empty catalogue; how many standards were added (0 when it had any)."""
    if await uow.session.scalar(select(func.count()).select_from(CatalogueStandard)):
        return 0
    for standard in sample["standards"]:
        await add_standard(CatalogueStandardCreate.model_validate(standard), uow, ctx)
    for category, plan in sample.get("plans", {}).items():
        await set_plan(category, PlanIn.model_validate(plan), uow, ctx)
    return len(sample["standards"])
