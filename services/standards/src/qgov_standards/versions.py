"""What changed between two versions of a declaration, field by field: the product, its
category, each standard (by number) and each indicator (by name). Pure: versions are the
JSON documents stored for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qgov_standards.indicators import name_key


@dataclass(frozen=True)
class Change:
    """`before` is None for an addition, `after` None for a removal."""

    field: str  # "product_name", "category", "standards", "indicators"
    key: str | None  # the standard's number or the indicator's name
    before: Any
    after: Any


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """The changes from the version `before` to the version `after`."""
    changes = [
        Change(name, None, before[name], after[name])
        for name in ("product_name", "category")
        if before[name] != after[name]
    ]
    changes += _keyed("standards", before["standards"], after["standards"], "number", str)
    changes += _keyed("indicators", before["indicators"], after["indicators"], "name", name_key)
    return changes


def _keyed(
    field: str,
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    key: str,
    normalise: Any,
) -> list[Change]:
    old = {normalise(item[key]): item for item in before}
    new = {normalise(item[key]): item for item in after}
    changes = []
    for item_key in [*old, *(k for k in new if k not in old)]:
        was, now = old.get(item_key), new.get(item_key)
        if was != now:
            label = (now or was or {})[key]
            changes.append(Change(field, label, was, now))
    return changes
