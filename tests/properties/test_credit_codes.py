"""Unified social credit codes (GB 32100-2015) as people type them: a valid code survives
normalisation, a single mistyped character never passes as the same code, and no text raises
anything but `InvalidCreditCode`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_shared.uscc import (
    ALPHABET,
    CODE_LENGTH,
    InvalidCreditCode,
    compute_check_character,
    is_region_code,
    parse_credit_code,
    region_covers,
    region_prefix,
)

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
_DIGITS = "0123456789"


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(ALPHABET))
    entity = draw(st.sampled_from(ALPHABET))
    region = draw(st.text(_DIGITS, min_size=6, max_size=6))
    body = draw(st.text(ALPHABET, min_size=9, max_size=9))
    first17 = authority + entity + region + body
    return first17 + compute_check_character(first17)


def _refusal(text: str) -> str | None:
    """Why `text` is refused (`InvalidCreditCode.reason`), or None when it is a code."""
    try:
        parse_credit_code(text)
    except InvalidCreditCode as error:
        return error.reason if error.message else "(no message)"
    return None


@PROPERTIES
@given(credit_codes())
def test_a_valid_code_parses_to_itself(code: str) -> None:
    parsed = parse_credit_code(code)
    assert parsed.value == code
    assert parsed.region_code == code[2:8]
    assert parsed.check_character == code[-1]


@PROPERTIES
@given(credit_codes(), st.sampled_from(["", " ", "\t", "\u3000"]))
def test_lower_case_full_width_and_padding_normalise_to_the_code(code: str, pad: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert parse_credit_code(pad + code.lower() + pad).value == code
    assert parse_credit_code(full_width).value == code


@PROPERTIES
@given(credit_codes(), st.integers(0, CODE_LENGTH - 1), st.sampled_from(ALPHABET))
def test_one_changed_character_is_refused_or_another_valid_code(
    code: str, position: int, replacement: str
) -> None:
    changed = code[:position] + replacement + code[position + 1 :]
    reason = _refusal(changed)
    # The mod-31 check catches every single substitution, so only an unchanged text passes.
    if changed == code:
        assert reason is None
    else:
        assert reason in {"check_character", "region_code", "alphabet"}


@PROPERTIES
@given(st.text(max_size=40))
def test_any_text_is_a_code_or_a_documented_refusal(text: str) -> None:
    reason = _refusal(text)
    if reason is None:
        parsed = parse_credit_code(text)
        assert len(parsed.value) == CODE_LENGTH
        assert parse_credit_code(parsed.value) == parsed
    else:
        assert reason in {"length", "alphabet", "check_character", "region_code"}


@PROPERTIES
@given(st.text(max_size=10))
def test_region_scopes_accept_six_digits_and_refuse_the_rest(text: str) -> None:
    if is_region_code(text):
        assert region_covers(text, text)
        assert text.startswith(region_prefix(text))
        assert len(region_prefix(text)) >= 2
    else:
        for call in (lambda: region_prefix(text), lambda: region_covers("440200", text)):
            try:
                call()
            except ValueError:
                continue
            raise AssertionError(f"{text!r} was taken as a region code")


@PROPERTIES
@given(st.text(_DIGITS, min_size=6, max_size=6), st.text(_DIGITS, min_size=6, max_size=6))
def test_a_scope_covers_exactly_the_codes_under_its_prefix(scope: str, code: str) -> None:
    prefix = region_prefix(scope)
    assert region_covers(scope, code) == code.startswith(prefix)
    assert not region_covers(scope, code) or region_covers(code[:2] + "0000", code)
