"""What the standards API takes and gives, by concern: `declarations` (declarations, their
versions, checks and flags), `catalogue` (national standards and their limits) and `rankings`
(evaluation plans, rankings, search). Inputs validate what they can by themselves; rules that
need the policy, the catalogue or the clock are the handlers'. The types all of them share are
here."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from qgov_standards.indicators import Direction

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[Text, Field(max_length=200)]
Unit = Annotated[Text, Field(max_length=32, description="e.g. mg/kg, g/100g, %, 级")]
NumberText = Annotated[
    Text, Field(max_length=64, description="a standard number, in any spelling: GB 2763-2021")
]
CategoryCode = Annotated[
    str, Field(max_length=40, description="one of the policy's categories (`GET /categories`)")
]
Quantity = Annotated[
    Decimal,
    Field(
        ge=Decimal("-1000000000000"),
        le=Decimal("1000000000000"),
        max_digits=20,
        decimal_places=8,
        allow_inf_nan=False,
    ),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BoundsIn(Input):
    """`value` for higher_better (at least) and lower_better (at most); `minimum` and
    `maximum` for a range."""

    unit: Unit
    direction: Direction
    value: Quantity | None = None
    minimum: Quantity | None = None
    maximum: Quantity | None = None


class BoundsShown(BaseModel):
    unit: str
    direction: Direction
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    text: str = Field(description="as a person reads it: ≤ 0.5 mg/kg")
