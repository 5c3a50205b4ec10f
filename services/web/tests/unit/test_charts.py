"""The charts are SVG with a name, one bar per value, lengths in proportion, text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from qgov_web.charts import Bar, Segment, StackedBar, bar_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def widths(svg: str) -> list[float]:
    return [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]


def test_a_bar_chart_is_named_and_its_bars_are_in_proportion() -> None:
    svg = str(bar_chart("c", "投诉类别", [Bar("食品", 10), Bar("药品", 5), Bar("其他", 0)]))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "投诉类别"
    first, second, third = widths(svg)
    assert first == 2 * second
    assert third == 0
    assert [t.text for t in root.iter(f"{SVG}text")] == ["食品", "10", "药品", "5", "其他", "0"]


def test_labels_are_escaped() -> None:
    svg = str(bar_chart("c", "<t>", [Bar("<script>", 1)]))
    assert "<script>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_all_zero_bars_draw_nothing_but_still_a_chart() -> None:
    assert widths(str(bar_chart("c", "t", [Bar("a", 0), Bar("b", 0)]))) == [0.0, 0.0]
    ET.fromstring(str(bar_chart("c", "t", [])))


def test_a_stacked_bar_splits_its_total_into_its_segments() -> None:
    bars = [
        StackedBar("韶关", (Segment(3, "grade-A", "A"), Segment(1, "grade-D", "D"))),
        StackedBar("深圳", (Segment(2, "grade-A", "A"), Segment(0, "grade-D", "D"))),
    ]
    svg = str(stacked_bar_chart("g", "等级", bars))
    a_shaoguan, d_shaoguan, a_shenzhen = widths(svg)  # a zero segment draws no rect
    assert a_shaoguan == 3 * d_shaoguan
    assert a_shenzhen == 2 * d_shaoguan
    assert bars[0].total == 4
    assert "A: 3" in svg
