"""What changed between two versions of a declaration, field by field."""

from __future__ import annotations

from qgov_standards.versions import Change, diff


def version(**changes) -> dict:
    return {
        "product_name": "全脂乳粉",
        "category": "milk_powder",
        "standards": [{"number": "GB 19644-2010", "title": "乳粉"}],
        "indicators": [{"name": "铅", "value": "0.3"}, {"name": "蛋白质", "value": "20"}],
        **changes,
    }


def test_the_same_version_has_no_changes():
    assert diff(version(), version()) == []


def test_fields_standards_and_indicators_are_compared_by_key():
    after = version(
        product_name="全脂乳粉（罐装）",
        standards=[{"number": "GB 19644-2024", "title": "乳粉"}],
        indicators=[{"name": "铅", "value": "0.2"}, {"name": "菌落总数", "value": "1000"}],
    )

    assert diff(version(), after) == [
        Change("product_name", None, "全脂乳粉", "全脂乳粉（罐装）"),
        Change("standards", "GB 19644-2010", {"number": "GB 19644-2010", "title": "乳粉"}, None),
        Change("standards", "GB 19644-2024", None, {"number": "GB 19644-2024", "title": "乳粉"}),
        Change("indicators", "铅", {"name": "铅", "value": "0.3"}, {"name": "铅", "value": "0.2"}),
        Change("indicators", "蛋白质", {"name": "蛋白质", "value": "20"}, None),
        Change("indicators", "菌落总数", None, {"name": "菌落总数", "value": "1000"}),
    ]


def test_an_indicator_renamed_only_in_spelling_is_the_same_indicator():
    after = version(
        indicators=[{"name": " 铅 ", "value": "0.3"}, {"name": "蛋白质", "value": "20"}]
    )

    [change] = diff(version(), after)

    assert (change.field, change.key) == ("indicators", " 铅 ")
