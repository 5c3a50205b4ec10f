"""The pages' own rules: which actions a case offers, the words in both languages, the region
picker, the overview's charts and how times are written."""

from __future__ import annotations

from qgov_web import dashboard, formats, i18n, procedure, regions


def test_a_case_offers_what_its_kind_and_status_can_do_next_and_always_a_note() -> None:
    assert procedure.next_actions("complaint", "submitted") == ("decision", "transfer", "note")
    assert procedure.next_actions("complaint", "mediated") == ("close", "note")
    assert procedure.next_actions("report", "verifying")[0] == "report-decision"
    assert procedure.next_actions("complaint", "closed") == ("note",)


def test_an_action_body_carries_its_fields_at_the_apis_names_and_booleans_as_booleans() -> None:
    decision = procedure.ACTIONS["report-decision"]
    body = procedure.body_for(decision, {"case_opened": "false", "decision_reason": "无违法事实"})
    assert body == {"case_opened": False, "reason": "无违法事实"}
    assert procedure.body_for(procedure.ACTIONS["close"], {}) == {}


def test_both_languages_have_the_same_words_and_every_code_the_pages_name() -> None:
    chinese, english = i18n.messages("zh-CN"), i18n.messages("en")
    assert set(chinese) == set(english)
    for code in procedure.REJECTION_GROUNDS:
        assert f"ground.{code}" in chinese
    for code in procedure.TERMINATION_REASONS:
        assert f"termination.{code}" in chinese
    for action in procedure.ACTIONS:
        assert f"action_form.{action}" in chinese
        assert f"action_button.{action}" in chinese


def test_a_translator_fills_in_and_falls_back_to_the_platforms_name_or_code() -> None:
    t = i18n.Translator("zh-CN")
    assert t("enterprise.score", score=85) == "（85 分）"
    assert t.label("status", "closed") == "已办结"
    assert t.label("category", "new_category", "新类别") == "新类别"
    assert t.label("category", "new_category") == "new_category"
    assert i18n.language_of("en") == "en"
    assert i18n.language_of("fr") == i18n.language_of(None) == "zh-CN"


def test_the_region_picker_lists_prefectures_under_provinces_and_municipalities_districts() -> None:
    choices = dict(regions.region_choices())
    guangdong = dict(choices["广东省"])
    assert guangdong["440200"] == "韶关市"
    assert "440203" not in guangdong  # a district of a prefecture: the prefecture is chosen
    assert dict(choices["北京市"])["110101"] == "东城区"


def test_the_overview_charts_the_largest_regions_and_every_grade() -> None:
    overview = {
        "enterprises": {"by_region": {"440203": 3, "440204": 5}, "by_grade": {"A": 7, "B": 1}},
        "complaints": {"by_category": {"food": 2}, "by_status": {"submitted": 2}},
        "complaints_by_month": {
            "months": ["2026-10", "2026-11"],
            "filed_by_category": {"2026-10": {"food": 1}, "2026-11": {"food": 1, "toys": 3}},
            "overdue": {"2026-11": 2},
        },
    }
    assert dashboard.largest_regions(overview, 1) == ["440204"]
    by_region = {"440204": {"enterprises": {"by_grade": {"A": 5}}}}
    charts = dashboard.charts(overview, by_region, i18n.Translator("zh-CN"))
    assert set(charts) == {
        "grades_by_region",
        "grades",
        "categories",
        "statuses",
        "by_month",
        "overdue_by_month",
    }
    assert "韶关市浈江区" in charts["grades_by_region"]
    assert "食品" in charts["categories"]


def test_the_monthly_chart_has_a_bar_per_month_and_a_colour_per_category_most_filed_first() -> None:
    months = {
        "months": ["2026-10", "2026-11"],
        "filed_by_category": {"2026-10": {"food": 1}, "2026-11": {"food": 1, "toys": 3}},
        "overdue": {"2026-11": 2},
    }
    assert dashboard.month_series(months) == ["toys", "food"]
    overview = {
        "enterprises": {"by_region": {}, "by_grade": {}},
        "complaints": {"by_category": {}, "by_status": {}},
        "complaints_by_month": months,
    }
    charts = dashboard.charts(overview, {}, i18n.Translator("en"))
    assert charts["by_month"].count("<g ") == 2
    assert '<rect class="series-0"' in charts["by_month"]  # toys, in November
    assert ">2026-10</text>" in charts["overdue_by_month"]  # a month with none is shown at 0


def test_times_are_written_in_chinas_time_zone() -> None:
    assert formats.local_time("2026-11-02T09:00:00Z") == "2026-11-02 17:00"
    assert formats.local_date("2026-11-02T20:00:00+00:00") == "2026-11-03"
    assert formats.local_date("2026-11-02") == "2026-11-02"
    assert formats.local_time(None) == ""
    assert formats.percent(0.5) == "50%"
    assert formats.percent(None) == "—"
