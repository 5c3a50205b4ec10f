import pytest
from pydantic import BaseModel, ValidationError

from qgov_shared.uscc import (
    ALPHABET,
    WEIGHTS,
    CodeName,
    CreditCode,
    CreditCodeStr,
    InvalidCreditCode,
    compute_check_character,
    is_valid_credit_code,
    parse_credit_code,
    region_covers,
)

VALID_CODES = ["91350100M000100Y43", "91110000802100433B", "9144030071526726XG"]
SHENZHEN_CODE = "9144030071526726XG"


def test_the_alphabet_has_31_characters_without_i_o_s_v_z():
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", VALID_CODES)
def test_known_codes_are_valid(code):
    assert parse_credit_code(code).value == code
    assert is_valid_credit_code(code)
    assert compute_check_character(code[:17]) == code[17]


def test_a_check_value_of_zero_gives_the_character_zero():
    # A sum divisible by 31 must give '0', not ALPHABET[31].
    assert compute_check_character("0" * 17) == "0"


@pytest.mark.parametrize("code", VALID_CODES)
def test_every_single_character_change_is_rejected(code):
    for position, original in enumerate(code):
        for replacement in ALPHABET:
            if replacement != original:
                mutated = code[:position] + replacement + code[position + 1 :]
                assert not is_valid_credit_code(mutated), mutated


@pytest.mark.parametrize("letter", "IOZSV")
def test_forbidden_letters_are_rejected_by_alphabet(letter):
    code = SHENZHEN_CODE[:10] + letter + SHENZHEN_CODE[11:]
    with pytest.raises(InvalidCreditCode) as caught:
        parse_credit_code(code)
    assert caught.value.reason == "alphabet"
    assert f"{letter!r} at position 11" in str(caught.value)


@pytest.mark.parametrize("text", ["", "9144030071526726X", "9144030071526726XG0"])
def test_wrong_lengths_are_rejected(text):
    with pytest.raises(InvalidCreditCode) as caught:
        parse_credit_code(text)
    assert caught.value.reason == "length"
    assert f"got {len(text)}" in str(caught.value)


def test_a_wrong_check_character_names_the_expected_one():
    with pytest.raises(InvalidCreditCode) as caught:
        parse_credit_code("9144030071526726XH")
    assert caught.value.reason == "check_character"
    assert "'G'" in caught.value.message


def test_a_code_whose_region_is_not_digits_is_rejected():
    body = "91A4030071526726X"
    code = body + compute_check_character(body)
    with pytest.raises(InvalidCreditCode) as caught:
        parse_credit_code(code)
    assert caught.value.reason == "region_code"


def test_compute_check_character_refuses_bad_bodies():
    with pytest.raises(InvalidCreditCode, match="17 characters"):
        compute_check_character("9144")
    with pytest.raises(InvalidCreditCode, match="position 1"):
        compute_check_character("I" * 17)


def test_input_is_normalised():
    assert parse_credit_code("  9144030071526726xg\n").value == SHENZHEN_CODE
    full_width = "９１４４０３００７１５２６７２６ＸＧ"
    assert parse_credit_code(full_width).value == SHENZHEN_CODE


def test_credit_code_refuses_non_canonical_values():
    with pytest.raises(InvalidCreditCode):
        CreditCode("9144030071526726xg")


def test_parts_of_an_enterprise_code():
    code = parse_credit_code(SHENZHEN_CODE)
    assert code.authority == CodeName("9", "工商/市场监管")
    assert code.entity_type == CodeName("1", "企业")
    assert code.region_code == "440300"
    assert code.check_character == "G"
    assert str(code) == SHENZHEN_CODE


def test_parts_of_a_code_from_an_authority_whose_types_we_do_not_list():
    body = "12440300MB2C3D4E5"
    code = parse_credit_code(body + compute_check_character(body))
    assert code.authority == CodeName("1", "机构编制")
    assert code.entity_type == CodeName("2", None)


@pytest.mark.parametrize(
    ("scope", "region", "covered"),
    [
        ("440000", "440000", True),
        ("440000", "440203", True),
        ("440000", "450203", False),
        ("440200", "440200", True),
        ("440200", "440203", True),
        ("440200", "440300", False),
        ("440203", "440203", True),
        ("440203", "440204", False),
        ("440203", "440200", False),
        ("100000", "100000", True),
        ("100000", "110105", False),
        ("000000", "440203", False),
    ],
)
def test_region_covers(scope, region, covered):
    assert region_covers(scope, region) is covered


def test_region_covers_refuses_malformed_codes():
    with pytest.raises(ValueError, match="6-digit"):
        region_covers("4402", "440203")


class Enterprise(BaseModel):
    credit_code: CreditCodeStr


def test_the_pydantic_type_normalises():
    assert Enterprise(credit_code=" 9144030071526726xg ").credit_code == SHENZHEN_CODE


def test_the_pydantic_type_reports_the_reason_on_the_field():
    with pytest.raises(ValidationError) as caught:
        Enterprise(credit_code="9144030071526726XH")
    [error] = caught.value.errors()
    assert error["loc"] == ("credit_code",)
    assert error["type"] == "invalid_credit_code"
    assert error["ctx"] == {"reason": "check_character"}
    assert "should be 'G'" in error["msg"]
