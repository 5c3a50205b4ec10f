"""GB/T 2260 region codes from outside (a form, a query): a known code has a name and is
accepted by `RegionCodeStr`; any other text is refused as a validation error, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from qgov_shared.regions import RegionCodeStr, is_known_region, region_name

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
REGION_CODE = TypeAdapter(RegionCodeStr)


@PROPERTIES
@given(st.one_of(st.text(max_size=12), st.text("0123456789", min_size=6, max_size=6)))
def test_a_region_code_is_known_and_named_or_refused(text: str) -> None:
    try:
        accepted, error_type = REGION_CODE.validate_python(text), None
    except ValidationError as error:
        accepted, error_type = None, error.errors()[0]["type"]
    if accepted is None:
        assert error_type == "value_error"
        assert not is_known_region(text)
        assert region_name(text) is None
    else:
        assert accepted == text
        assert region_name(text)


def test_the_known_codes_of_each_level_are_accepted() -> None:
    for code in ("440000", "440200", "440203", "110100"):
        assert REGION_CODE.validate_python(code) == code
        assert region_name(code)
