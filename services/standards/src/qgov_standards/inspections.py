"""Our own model of the inspections service's final results, the event this service reads
from `qgov.inspections` (the group `standards.inspections`): a sampling inspection's final
result becomes a check on the declaration of the product it tested. The inspections service
is built separately; this is what we expect of it, held to its schema by a test once it
publishes one. Unknown fields are ignored."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from qgov_shared.ids import RowId
from qgov_shared.uscc import CreditCodeStr

RESULT_FINAL = "qgov.inspections.inspection.result_final.v1"
FINDING_LENGTH = 500


class FailingIndicator(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=200)
    measured: str | None = Field(None, max_length=64, description="the value found")
    unit: str | None = Field(None, max_length=32)
    required: str | None = Field(None, max_length=200, description="the limit it fails")

    def finding(self) -> str:
        found = " ".join(part for part in (self.measured, self.unit) if part)
        parts = [self.name, f"实测 {found}" if found else None, self.required]
        return "；".join(part for part in parts if part)[:FINDING_LENGTH]


class InspectionResult(BaseModel):
    """`data` of qgov.inspections.inspection.result_final.v1; the subject is the credit code.

    The declaration is `declaration_id` when the inspectors knew it, else the enterprise's
    published declaration citing `standard_number` (every edition when it has no year), of the
    product named `product_name` when given."""

    model_config = ConfigDict(extra="ignore")

    inspection_id: str = Field(min_length=1, max_length=64)
    credit_code: CreditCodeStr
    declaration_id: RowId | None = None
    product_name: str | None = Field(None, max_length=200)
    standard_number: str | None = Field(None, max_length=64)
    outcome: Literal["passed", "failed", "standard_not_executed"]
    failing_indicators: list[FailingIndicator] = Field(default_factory=list, max_length=50)
    findings: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, max_length=20
    )
    decided_on: date
