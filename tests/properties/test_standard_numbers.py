"""Standard numbers (标准编号) as typed: every canonical number parses to itself, however it is
spaced, dashed or cased; any text is a number or an `InvalidStandardNumber`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_standards.numbers import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_LENGTH,
    PROVINCES,
    InvalidStandardNumber,
    normalise,
    parse_standard_number,
)
from qgov_standards.policy import load_policy

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
INDUSTRY_CODES = frozenset(load_policy().industry_codes)

_sequences = st.builds(
    lambda parts: ".".join(parts),
    st.lists(st.from_regex(r"[1-9][0-9]{0,4}", fullmatch=True), min_size=1, max_size=2),
)
_codes = st.one_of(
    st.sampled_from(["GB", "GB/T", "GB/Z"]),
    st.builds(
        lambda issuer, mark: issuer + mark,
        st.sampled_from(sorted(INDUSTRY_CODES)),
        st.sampled_from(["", "/T"]),
    ),
    st.builds(
        lambda province, mark: f"DB{province}{mark}",
        st.sampled_from(sorted(PROVINCES)),
        st.sampled_from(["/", "/T"]),
    ),
    st.builds(lambda issuer: f"T/{issuer}", st.from_regex(r"[A-Z]{2,6}", fullmatch=True)),
)


@st.composite
def canonical_numbers(draw: st.DrawFn) -> str:
    year = draw(st.none() | st.integers(FIRST_YEAR, LAST_YEAR))
    base = f"{draw(_codes)} {draw(_sequences)}"
    return base if year is None else f"{base}-{year}"


@PROPERTIES
@given(canonical_numbers())
def test_a_canonical_number_parses_to_itself(number: str) -> None:
    parsed = parse_standard_number(number, INDUSTRY_CODES)
    assert parsed.canonical == number
    assert parse_standard_number(parsed.base, INDUSTRY_CODES).year is None


@PROPERTIES
@given(canonical_numbers(), st.sampled_from(["\u2014", "\u2013", "一", "－"]))
def test_lower_case_full_width_and_other_dashes_read_the_same(number: str, dash: str) -> None:
    typed = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number.lower())
    typed = typed.replace("-", f" {dash} ")
    assert parse_standard_number(typed, INDUSTRY_CODES).canonical == number


@PROPERTIES
@given(st.one_of(st.text(max_size=80), st.from_regex(r"(GB|DB|T|Q|[A-Z]{2})[/ 0-9.-]{0,90}")))
def test_any_text_is_a_number_or_a_documented_refusal(text: str) -> None:
    try:
        parsed, refusal = parse_standard_number(text, INDUSTRY_CODES, year_required=True), ""
    except InvalidStandardNumber as error:
        parsed, refusal = None, str(error)
    if parsed is None:
        assert refusal
    else:
        assert parsed.year is not None
        assert len(parsed.canonical) <= MAX_LENGTH
        assert parse_standard_number(parsed.canonical, INDUSTRY_CODES) == parsed
        assert normalise(parsed.canonical).replace(" ", "") == parsed.canonical.replace(" ", "")
