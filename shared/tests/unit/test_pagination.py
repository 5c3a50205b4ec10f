import base64
import json
from datetime import UTC, datetime

import pytest

from qgov_shared.http.pagination import decode_cursor, encode_cursor
from qgov_shared.http.problems import (
    ProblemException,
    field_error,
    json_pointer,
    validation_errors,
)


@pytest.mark.parametrize(
    "values",
    [[1], [42, "91350100M000100Y43"], ["2026-01-01T00:00:00+00:00", 7], ["企业", None, 3.5]],
)
def test_a_cursor_decodes_to_the_values_it_encodes(values):
    assert decode_cursor(encode_cursor(values), len(values)) == values


def test_cursors_are_url_safe_and_unpadded():
    # Values chosen so the plain base64 would contain '+', '/' and '=' padding.
    for values in ([">>>?"], ["???~"], [1, "ÿÿ"], list(range(10))):
        cursor = encode_cursor(values)
        assert set(cursor) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        ), cursor
        assert decode_cursor(cursor, len(values)) == values


def test_non_json_values_are_encoded_as_text():
    moment = datetime(2026, 3, 15, 8, 30, tzinfo=UTC)
    assert decode_cursor(encode_cursor([moment, 5]), 2) == [str(moment), 5]


def _assert_bad_cursor(caught: pytest.ExceptionInfo[ProblemException]) -> None:
    problem = caught.value
    assert problem.status == 422
    assert problem.title in {"Unprocessable Content", "Unprocessable Entity"}
    assert problem.errors == [{"parameter": "cursor", "in": "query", "detail": "unknown cursor"}]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%%",
        "A",  # impossible base64 length
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),  # not UTF-8
        base64.urlsafe_b64encode(b"{not json").decode(),
        base64.urlsafe_b64encode(b'{"id": 1}').decode(),  # JSON, but not a list
        base64.urlsafe_b64encode(b'"1"').decode(),
        base64.urlsafe_b64encode(b"null").decode(),
    ],
)
def test_garbage_cursors_are_a_422_naming_the_cursor_parameter(cursor):
    with pytest.raises(ProblemException) as caught:
        decode_cursor(cursor, 1)
    _assert_bad_cursor(caught)


@pytest.mark.parametrize(("values", "width"), [([1, 2], 1), ([1], 2), ([], 1)])
def test_a_cursor_of_the_wrong_width_is_a_422(values, width):
    with pytest.raises(ProblemException) as caught:
        decode_cursor(encode_cursor(values), width)
    _assert_bad_cursor(caught)


def test_the_bad_cursor_problem_keeps_the_decoding_error_as_cause():
    with pytest.raises(ProblemException) as caught:
        decode_cursor(base64.urlsafe_b64encode(b"{not json").decode(), 1)
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ([], "#"),
        (["credit_code"], "#/credit_code"),
        (["respondent", "credit_code"], "#/respondent/credit_code"),
        (["items", 0, "sku"], "#/items/0/sku"),
        (["a/b"], "#/a~1b"),
        (["m~n"], "#/m~0n"),
        (["~/"], "#/~0~1"),
        (["/~"], "#/~1~0"),
        (["~1"], "#/~01"),  # a literal "~1" must not read back as "/"
        (("tuple", "path"), "#/tuple/path"),
    ],
)
def test_json_pointer_escapes_tilde_then_slash(path, pointer):
    assert json_pointer(path) == pointer


def test_field_error_names_the_field_by_pointer():
    assert field_error("#/message", "too long") == {"pointer": "#/message", "detail": "too long"}


def test_body_errors_become_json_pointers():
    errors = [
        {"type": "missing", "loc": ("body", "message"), "msg": "Field required"},
        {"type": "value_error", "loc": ("body", "respondent", "credit_code"), "msg": "bad code"},
        {"type": "string_too_long", "loc": ("body", "items", 2, "a/b"), "msg": "too long"},
    ]
    assert validation_errors(errors) == [
        {"pointer": "#/message", "detail": "Field required"},
        {"pointer": "#/respondent/credit_code", "detail": "bad code"},
        {"pointer": "#/items/2/a~1b", "detail": "too long"},
    ]


def test_an_error_about_the_whole_body_points_at_the_root():
    errors = [{"type": "missing", "loc": ("body",), "msg": "Field required"}]
    assert validation_errors(errors) == [{"pointer": "#", "detail": "Field required"}]


def test_query_and_path_errors_name_the_parameter():
    errors = [
        {"type": "greater_than_equal", "loc": ("query", "limit"), "msg": "must be >= 1"},
        {"type": "value_error", "loc": ("path", "credit_code"), "msg": "bad code"},
    ]
    assert validation_errors(errors) == [
        {"parameter": "limit", "in": "query", "detail": "must be >= 1"},
        {"parameter": "credit_code", "in": "path", "detail": "bad code"},
    ]


def test_header_errors_name_the_header():
    errors = [{"type": "missing", "loc": ("header", "idempotency-key"), "msg": "Field required"}]
    assert validation_errors(errors) == [
        {"header": "idempotency-key", "in": "header", "detail": "Field required"}
    ]


def test_an_error_without_a_location_or_message_still_maps():
    assert validation_errors([{}]) == [{"pointer": "#", "detail": "invalid value"}]


def test_a_problem_exception_defaults_its_title_to_the_status_phrase():
    problem = ProblemException(409, "already used")
    assert (problem.status, problem.title, problem.type) == (409, "Conflict", "about:blank")
    assert str(problem) == "already used"
