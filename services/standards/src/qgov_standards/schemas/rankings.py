"""Evaluation plans, rankings and the public search."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from qgov_standards.indicators import Direction
from qgov_standards.ranking import Missing
from qgov_standards.schemas import Input, Name, Unit


class CoreIndicatorIn(Input):
    name: Name
    unit: Unit
    direction: Literal[Direction.HIGHER_BETTER, Direction.LOWER_BETTER]
    weight: Annotated[Decimal, Field(gt=0, le=1000, max_digits=10, decimal_places=4)]


class PlanIn(Input):
    """An evaluation plan (评价方案): exactly one of `top_n` and `top_percent` is the cut."""

    indicators: list[CoreIndicatorIn] = Field(min_length=1, max_length=20)
    top_n: Annotated[int, Field(ge=1, le=100_000)] | None = None
    top_percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=7, decimal_places=4)] | None = (
        None
    )
    tie_breaks: list[Annotated[str, Field(max_length=210)]] = Field(
        default_factory=list,
        max_length=10,
        description="in order: `indicator:<name>`, `more_declared`, `earliest_published`",
    )
    missing: Missing = Field(description="exclude the declaration, or count it as the worst")


class PlanPublic(BaseModel):
    category: str
    version: int
    indicators: list[CoreIndicatorIn]
    top_n: int | None
    top_percent: Decimal | None
    tie_breaks: list[str]
    missing: Missing
    created_at: datetime


class Frontrunner(BaseModel):
    declaration_id: int
    credit_code: str
    enterprise_name: str
    product_name: str
    rank: int
    score: Decimal


class RankingPublic(BaseModel):
    category: str
    number: int = Field(description="the category's ranking number, rising with each")
    plan_version: int
    ranked: int
    excluded: int
    frontrunners: list[Frontrunner]
    published_at: datetime


class PartShown(BaseModel):
    indicator: str
    value: Decimal | None = Field(description="in the plan's unit; null when missing")
    normalised: Decimal = Field(description="0 (worst ranked) to 1 (best)")
    weight: Decimal


class Placement(BaseModel):
    """A declaration's place in its category's latest ranking, and why."""

    category: str
    ranking: int
    plan_version: int
    declaration_id: int
    position: int
    rank: int | None
    score: Decimal | None
    frontrunner: bool
    frontrunner_ranks: int = Field(description="ranks within the cut")
    parts: list[PartShown]
    excluded_for: list[str] = Field(description="core indicators missing, when excluded")


class SearchHit(BaseModel):
    declaration_id: int
    credit_code: str
    enterprise_name: str
    product_name: str
    category: str
    standards: list[str]
    matched: str = Field(description="where the query matched best: product, enterprise, other")
