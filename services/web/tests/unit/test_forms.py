"""Forms and the API's bodies, both ways, and the platform's messages in the visitor's words."""

from __future__ import annotations

from qgov_web import forms
from qgov_web.i18n import Translator
from qgov_web.platform import ApiProblem

ZH, EN = Translator("zh-CN"), Translator("en")


def test_a_body_nests_each_value_at_its_place_and_leaves_out_the_empty_ones() -> None:
    values = {
        "complainant_name": "张三",
        "complainant_phone": "13812345678",
        "complainant_id_number": "",
        "respondent_name": "某公司",
        "region_code": "440200",
    }
    assert forms.body_of(values, forms.COMPLAINT) == {
        "complainant": {"name": "张三", "phone": "13812345678"},
        "respondent": {"name": "某公司"},
        "region_code": "440200",
    }


def test_a_report_without_any_reporter_field_is_anonymous() -> None:
    body = forms.body_of({"reporter_name": "", "facts": "无证生产"}, forms.REPORT)
    assert body == {"facts": "无证生产"}


def test_typed_values_are_trimmed_bounded_and_empty_when_absent_or_a_file() -> None:
    typed = forms.typed({"a": "  x  ", "b": object(), "c": "y" * 20_000}, ["a", "b", "c", "d"])
    assert typed == {"a": "x", "b": "", "c": "y" * forms.MAX_VALUE_LENGTH, "d": ""}


def test_each_pointer_lands_on_its_field_and_a_missing_group_on_its_first_field() -> None:
    assert forms.field_name("#/complainant/phone", forms.COMPLAINT) == "complainant_phone"
    assert forms.field_name("#/region_code", forms.COMPLAINT) == "region_code"
    assert forms.field_name("#/complainant", forms.COMPLAINT) == "complainant_name"
    assert forms.field_name("#/evidence/0/name", forms.COMPLAINT) == ""
    assert forms.field_name("satisfaction", {"satisfaction": ("satisfaction",)}) == "satisfaction"


def test_errors_go_beside_their_fields_in_the_visitors_words() -> None:
    problem = ApiProblem(
        422,
        "The request has invalid fields; see `errors`.",
        [
            {"pointer": "#/complainant/phone", "detail": "String should match pattern '^1'"},
            {"pointer": "#/complainant/name", "detail": "Field required"},
            {"pointer": "#/facts", "detail": "String should have at most 5000 characters"},
            {"pointer": "#/incident_on", "detail": "Value error, this date is in the future"},
        ],
    )
    assert forms.errors_from(problem, forms.COMPLAINT, ZH) == {
        "complainant_phone": "格式不正确。",
        "complainant_name": "此项为必填项。",
        "facts": "不能超过 5000 个字。",
        "incident_on": "this date is in the future",
    }
    assert forms.errors_from(problem, forms.COMPLAINT, EN)["facts"] == "At most 5000 characters."


def test_a_refusal_naming_no_field_is_shown_above_the_form() -> None:
    problem = ApiProblem(409, "cannot close a complaint that is submitted")
    assert forms.errors_from(problem, forms.COMPLAINT, ZH) == {
        "": "cannot close a complaint that is submitted"
    }


def test_a_form_state_answers_empty_for_what_it_does_not_hold() -> None:
    state = forms.FormState({"a": "1"}, {"b": "wrong"})
    assert (state.value("a"), state.value("b"), state.error("a"), state.error("b")) == (
        "1",
        "",
        "",
        "wrong",
    )
    assert state.invalid
    assert not forms.FormState().invalid


def test_repeated_rows_become_the_bodys_lists_filled_rows_first() -> None:
    spec = {"name": ("name",), **forms.row_fields("standards", ("number", "title"), 3)}
    assert spec["standards_2_title"] == ("standards", "2", "title")
    values = {
        "name": "乳粉",
        "standards_0_number": "",
        "standards_0_title": "",
        "standards_1_number": "GB 19644-2010",
        "standards_1_title": "乳粉",
    }
    forms.packed_rows(values, "standards", ("number", "title"), 3)
    assert values["standards_0_number"] == "GB 19644-2010"  # moved up: its index is 0 now
    assert values["standards_1_number"] == values["standards_2_title"] == ""
    body = forms.with_lists(forms.body_of(values, spec))
    assert body == {"name": "乳粉", "standards": [{"number": "GB 19644-2010", "title": "乳粉"}]}


def test_an_error_inside_a_rows_item_or_a_lists_value_lands_on_its_field() -> None:
    spec = {
        "region_codes": ("region_codes",),
        **forms.row_fields("standards", ("number", "title"), 2),
    }
    problem = ApiProblem(
        422,
        "invalid",
        [
            {"pointer": "#/standards/1/number", "detail": "not a standard number"},
            {"pointer": "#/region_codes/0", "detail": "String should match pattern '^[0-9]{6}$'"},
        ],
    )
    assert forms.errors_from(problem, spec, ZH) == {
        "standards_1_number": "not a standard number",
        "region_codes": "格式不正确。",
    }
