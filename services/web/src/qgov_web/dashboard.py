"""The overview's charts, from the platform's overview documents: grades by region, the
enterprises by grade, the complaints by category, by status and by month, and the overdue
trend. Pure: documents in, SVG out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from qgov_shared.regions import region_name
from qgov_web.charts import Bar, Segment, StackedBar, bar_chart, stacked_bar_chart
from qgov_web.i18n import Translator

GRADES = ("A", "B", "C", "D", "none")
SERIES_COLOURS = 6  # the stylesheet's series-0 … series-5


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
        "by_month": stacked_bar_chart(
            "by-month", t("overview.by_month"), _month_bars(overview["complaints_by_month"], t)
        ),
        "overdue_by_month": bar_chart(
            "overdue-by-month",
            t("overview.overdue_by_month"),
            [
                Bar(month, overview["complaints_by_month"]["overdue"].get(month, 0), "bar-warn")
                for month in overview["complaints_by_month"]["months"]
            ],
        ),
    }


def month_series(months: Mapping[str, Any]) -> list[str]:
    """The categories filed in the months shown, the most filed first: the order of the
    monthly chart's segments and of its legend."""
    totals: dict[str, int] = {}
    for counts in months["filed_by_category"].values():
        for category, n in counts.items():
            totals[category] = totals.get(category, 0) + n
    return sorted(totals, key=lambda category: (-totals[category], category))


def series_class(index: int) -> str:
    return f"series-{index % SERIES_COLOURS}"


def _month_bars(months: Mapping[str, Any], t: Translator) -> list[StackedBar]:
    series = month_series(months)
    filed = months["filed_by_category"]
    return [
        StackedBar(
            month,
            tuple(
                Segment(
                    filed.get(month, {}).get(category, 0),
                    series_class(index),
                    t.label("category", category),
                )
                for index, category in enumerate(series)
            ),
        )
        for month in months["months"]
    ]


def _bars(counts: Mapping[str, int], group: str, t: Translator) -> list[Bar]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Bar(t.label(group, code), count) for code, count in ordered]
