"""What the inspections API takes and gives, by concern: `roster` (inspectors, conflicts,
laboratories, the enterprise directory), `campaigns` (campaigns and their draws) and
`inspections` (sampling, results, objections, follow-ups). Inputs validate what they can by
themselves; rules that need the policy, the rows or the clock are the handlers'. The types all
of them share are here."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Name = Annotated[Text, Field(max_length=200)]
Note = Annotated[Text, Field(max_length=500)]
RegionCodeStr = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="GB/T 2260")]
CategoryCode = Annotated[
    str, Field(max_length=40, description="a product of the catalogue (`GET .../catalogue`)")
]
BadgeNumber = Annotated[
    str, Field(pattern=r"^[0-9A-Z-]{1,32}$", description="执法证号: digits, capitals, hyphens")
]
GradeCode = Literal["A", "B", "C", "D"]
Hex64 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
StandardNumber = Annotated[Text, Field(max_length=64, description="e.g. GB 6675.1-2014")]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InspectorNamed(BaseModel):
    """An inspector as the public sees one."""

    name: str
    badge_number: str
