"""Other services' events as this service reads them: its own models of the fields it uses,
held to the producers' contracts by `tests/unit/test_sources.py`, never their packages.

Standards' declarations place an enterprise and the products it makes (the subject is the
credit code); credit's grade changes give its risk class."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

GRADE_CHANGED = "qgov.credit.grade.changed.v1"
DECLARED = "qgov.standards.standard.declared.v1"
REVISED = "qgov.standards.standard.revised.v1"
WITHDRAWN = "qgov.standards.standard.withdrawn.v1"
DECLARATION_EVENTS = (DECLARED, REVISED, WITHDRAWN)


class _View(BaseModel):
    """Fields this service does not read are ignored, as consumers must."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class GradeChangedView(_View):
    credit_code: str = Field(max_length=18)
    grade: Literal["A", "B", "C", "D"]
    assessed_on: date


class DeclarationView(_View):
    declaration_id: int = Field(ge=1, lt=2**63)
    enterprise_name: str = Field(max_length=200)
    region_code: str = Field(pattern=r"^[0-9]{6}$")
    category: str = Field(max_length=40)
