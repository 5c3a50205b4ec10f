"""Inspectors, their declared conflicts, laboratories, and the enterprise directory."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from qgov_inspections.schemas import (
    BadgeNumber,
    CategoryCode,
    GradeCode,
    Input,
    Name,
    Note,
    RegionCodeStr,
    Text,
)
from qgov_shared.uscc import CreditCodeStr


class InspectorCreate(Input):
    name: Annotated[Text, Field(max_length=100)]
    badge_number: BadgeNumber
    region_code: RegionCodeStr = Field(description="the office the inspector works for")


class InspectorPublic(BaseModel):
    id: int
    name: str
    badge_number: str
    region_code: str


class ConflictCreate(Input):
    credit_code: CreditCodeStr
    reason: Note


class ConflictPublic(BaseModel):
    inspector_id: int
    credit_code: str
    reason: str
    declared_on: date


class LaboratoryCreate(Input):
    name: Name
    accreditation_number: Annotated[Text, Field(max_length=40, description="CMA or CNAS number")]


class LaboratoryPublic(BaseModel):
    id: int
    name: str
    accreditation_number: str


class LaboratoryRegistered(LaboratoryPublic):
    access_key: str = Field(
        description="shown once: the laboratory sends it as X-Laboratory-Key to see its samples"
    )


class DirectoryEntry(Input):
    credit_code: CreditCodeStr
    name: Name
    region_code: RegionCodeStr | None = Field(
        None, description="where it is registered; positions 3-8 of the credit code if absent"
    )
    categories: list[CategoryCode] = Field(min_length=1, max_length=20)


class DirectoryImport(Input):
    enterprises: list[DirectoryEntry] = Field(min_length=1, max_length=500)


class DirectoryImported(BaseModel):
    imported: int = Field(description="enterprises listed or updated")


class DirectoryEnterprise(BaseModel):
    credit_code: str
    name: str
    region_code: str
    categories: list[str]
    grade: GradeCode = Field(description="credit's latest, or the policy's default")
    graded: bool = Field(description="whether credit has announced a grade yet")
