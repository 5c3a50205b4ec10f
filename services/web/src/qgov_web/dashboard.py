"""The overview's charts, from the platform's overview documents: grades by region, the
enterprises by grade, the complaints by category and by status. Pure: documents in, SVG out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from qgov_shared.regions import region_name
from qgov_web.charts import Bar, Segment, StackedBar, bar_chart, stacked_bar_chart
from qgov_web.i18n import Translator

GRADES = ("A", "B", "C", "D", "none")


def largest_regions(overview: Mapping[str, Any], most: int) -> list[str]:
    """The regions with the most enterprises, at most `most` of them, largest first."""
    counts = overview["enterprises"]["by_region"]
    return sorted(counts, key=lambda region: (-counts[region], region))[:most]


def charts(
    overview: Mapping[str, Any], by_region: Mapping[str, Mapping[str, Any]], t: Translator
) -> dict[str, Markup]:
    enterprises, complaints = overview["enterprises"], overview["complaints"]
    return {
        "grades_by_region": stacked_bar_chart(
            "grades-by-region",
            t("overview.grades_by_region"),
            [
                StackedBar(
                    region_name(region) or region,
                    tuple(
                        Segment(
                            document["enterprises"]["by_grade"].get(grade, 0),
                            f"grade-{grade}",
                            t.label("grade", grade),
                        )
                        for grade in GRADES
                    ),
                )
                for region, document in by_region.items()
            ],
        ),
        "grades": bar_chart(
            "grades",
            t("overview.grades"),
            [
                Bar(
                    t.label("grade", grade), enterprises["by_grade"].get(grade, 0), f"grade-{grade}"
                )
                for grade in GRADES
            ],
        ),
        "categories": bar_chart(
            "categories",
            t("overview.categories"),
            _bars(complaints["by_category"], "category", t),
        ),
        "statuses": bar_chart(
            "statuses", t("overview.statuses"), _bars(complaints["by_status"], "status", t)
        ),
    }


def _bars(counts: Mapping[str, int], group: str, t: Translator) -> list[Bar]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(t.label(group, code), count) for code, count in ordered]
