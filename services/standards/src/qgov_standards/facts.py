"""What every use case and event says of a declaration: which one, which version, whose, of
what. Read from a row or from the column values of one being inserted."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from qgov_shared.errors import NotFound


class DeclarationNotFound(NotFound):
    what = "declaration"


class State(StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # kept on record with its reason, never deleted


@dataclass(frozen=True)
class Facts:
    id: int
    version: int
    credit_code: str
    enterprise_name: str
    region_code: str
    product_name: str
    category: str

    @classmethod
    def of(cls, source: Any) -> Facts:
        get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
        return cls(**{name: get(name) for name in cls.__dataclass_fields__})

    def event_fields(self) -> dict[str, Any]:
        """The fields every standards event names its declaration by."""
        fields = asdict(self)
        fields["declaration_id"] = fields.pop("id")
        del fields["credit_code"]  # the event's subject
        return fields
