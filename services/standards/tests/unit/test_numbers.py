"""Standard numbers: every form of every level, typed the ways people type them, parse to one
canonical spelling; everything else is refused saying what was expected."""

from __future__ import annotations

import pytest

from qgov_standards.numbers import (
    InvalidStandardNumber,
    Kind,
    is_standard_number,
    normalise,
    parse_standard_number,
)
from qgov_standards.policy import load_policy

CODES = load_policy().industry_codes


@pytest.mark.parametrize(
    ("typed", "canonical", "kind", "mandatory"),
    [
        # national: mandatory, recommended, guidance; parts of a standard
        ("GB 2763-2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("GB2763-2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("gb 2763-2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("GB 2763–2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # en dash
        ("GB 2763—2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # em dash
        ("GB 2763―2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # horizontal bar
        ("GB 2763−2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # minus sign
        ("GB 2763‐2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # hyphen
        ("GB 2763一2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # 一 set as a dash
        ("GB 2763 - 2021", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("  GB   2763-2021  ", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("ＧＢ　２７６３－２０２１", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),  # full width
        ("ＧＢ２７６３—２０２１", "GB 2763-2021", Kind.MANDATORY_NATIONAL, True),
        ("GB 4806.7-2016", "GB 4806.7-2016", Kind.MANDATORY_NATIONAL, True),
        ("GB 6675.1-2014", "GB 6675.1-2014", Kind.MANDATORY_NATIONAL, True),
        ("GB 5009.268-2016", "GB 5009.268-2016", Kind.MANDATORY_NATIONAL, True),
        ("GB/T 19580-2012", "GB/T 19580-2012", Kind.RECOMMENDED_NATIONAL, False),
        ("GB / T 19580-2012", "GB/T 19580-2012", Kind.RECOMMENDED_NATIONAL, False),
        ("gb/t19580—2012", "GB/T 19580-2012", Kind.RECOMMENDED_NATIONAL, False),
        ("ＧＢ／Ｔ　１９５８０－２０１２", "GB/T 19580-2012", Kind.RECOMMENDED_NATIONAL, False),
        ("GB/T 1.1-2020", "GB/T 1.1-2020", Kind.RECOMMENDED_NATIONAL, False),
        ("GB/Z 20000-2020", "GB/Z 20000-2020", Kind.GUIDANCE_NATIONAL, False),
        ("gb/z 20000–2020", "GB/Z 20000-2020", Kind.GUIDANCE_NATIONAL, False),
        # industry: recommended, and the older mandatory ones
        ("QB/T 1234-2020", "QB/T 1234-2020", Kind.INDUSTRY, False),
        ("QB/T1234—2020", "QB/T 1234-2020", Kind.INDUSTRY, False),
        ("JB/T 10000-2019", "JB/T 10000-2019", Kind.INDUSTRY, False),
        ("SN/T 1234.3-2020", "SN/T 1234.3-2020", Kind.INDUSTRY, False),
        ("FZ/T 81004-2022", "FZ/T 81004-2022", Kind.INDUSTRY, False),
        ("TB/T 3000-2000", "TB/T 3000-2000", Kind.INDUSTRY, False),
        ("YY 0505-2012", "YY 0505-2012", Kind.INDUSTRY, True),
        ("ｙｙ　０５０５－２０１２", "YY 0505-2012", Kind.INDUSTRY, True),
        # local: provincial and prefectural; recommended and mandatory
        ("DB44/T 1234-2020", "DB44/T 1234-2020", Kind.LOCAL, False),
        ("db44/t1234—2020", "DB44/T 1234-2020", Kind.LOCAL, False),
        ("DB4403/T 12-2020", "DB4403/T 12-2020", Kind.LOCAL, False),
        ("DB44/ 123-2015", "DB44/ 123-2015", Kind.LOCAL, True),
        ("DB44 123-2015", "DB44/ 123-2015", Kind.LOCAL, True),
        ("DB11/T 1000-2013", "DB11/T 1000-2013", Kind.LOCAL, False),
        ("DB65/T 4000-2017", "DB65/T 4000-2017", Kind.LOCAL, False),
        # group
        ("T/CAS 123-2021", "T/CAS 123-2021", Kind.GROUP, False),
        ("T/CAS123-2021", "T/CAS 123-2021", Kind.GROUP, False),
        ("t/cas 123—2021", "T/CAS 123-2021", Kind.GROUP, False),
        ("T/ZZB 0001-2018", "T/ZZB 0001-2018", Kind.GROUP, False),
        ("T/CESA 1145-2021", "T/CESA 1145-2021", Kind.GROUP, False),
        ("T/GD123 456-2021", "T/GD123 456-2021", Kind.GROUP, False),  # digits in the code
        ("Ｔ／ＣＡＳ　１２３－２０２１", "T/CAS 123-2021", Kind.GROUP, False),
        # enterprise (S: a food safety enterprise standard)
        ("Q/ABC 0001S-2020", "Q/ABC 0001S-2020", Kind.ENTERPRISE, False),
        ("Q/ABC0001S-2020", "Q/ABC 0001S-2020", Kind.ENTERPRISE, False),
        ("q/abc 0001s—2020", "Q/ABC 0001S-2020", Kind.ENTERPRISE, False),
        ("Q/YLB 0001S-2021", "Q/YLB 0001S-2021", Kind.ENTERPRISE, False),
        ("Q/320582ABC 001-2019", "Q/320582ABC 001-2019", Kind.ENTERPRISE, False),
        ("Q/HD 12.3-2022", "Q/HD 12.3-2022", Kind.ENTERPRISE, False),
        ("Ｑ／ＡＢＣ　０００１Ｓ－２０２０", "Q/ABC 0001S-2020", Kind.ENTERPRISE, False),
        # without a year: every edition
        ("GB 2763", "GB 2763", Kind.MANDATORY_NATIONAL, True),
        ("gb/t 19580", "GB/T 19580", Kind.RECOMMENDED_NATIONAL, False),
        ("T/CAS 123", "T/CAS 123", Kind.GROUP, False),
    ],
)
def test_every_form_parses_to_its_canonical_spelling(typed, canonical, kind, mandatory):
    number = parse_standard_number(typed, CODES)

    assert (number.canonical, number.kind, number.mandatory) == (canonical, kind, mandatory)
    assert str(number) == canonical
    assert parse_standard_number(canonical, CODES) == number  # the canonical form is a fixpoint


@pytest.mark.parametrize(
    ("typed", "base", "year"),
    [
        ("GB 2763-2021", "GB 2763", 2021),
        ("GB/T 19580-2012", "GB/T 19580", 2012),
        ("DB44/ 123-2015", "DB44/ 123", 2015),
        ("Q/ABC 0001S-2020", "Q/ABC 0001S", 2020),
        ("GB 2763", "GB 2763", None),
    ],
)
def test_the_base_is_the_number_without_its_year(typed, base, year):
    number = parse_standard_number(typed, CODES)

    assert (number.base, number.year) == (base, year)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("GB", "not a standard number"),
        ("GB/", "not a standard number"),
        ("GB 2763-", "not a standard number"),
        ("GB -2021", "not a standard number"),
        ("GB/X 1-2020", "not a standard number"),
        ("GB/T", "not a standard number"),
        ("2763-2021", "not a standard number"),
        ("食品安全国家标准 食品中农药最大残留限量", "not a standard number"),
        ("GB 2763-2021 食品安全国家标准", "not a standard number"),
        ("GB 2763-2021-01", "not a standard number"),
        ("GB 2763.-2021", "not a standard number"),
        ("ISO 9001:2015", "not a standard number"),
        ("GB 2763-21", "four digits"),
        ("GB 2763-02021", "four digits"),
        ("GB 2763-1900", "1950 to 2099"),
        ("GB 2763-2100", "1950 to 2099"),
        ("XX/T 1234-2020", "XX is not an industry standard code"),
        ("AB 1-2020", "AB is not an industry standard code"),
        ("DB99/T 1-2020", "99 is not a province code"),
        ("DB71/T 1-2020", "71 is not a province code"),
        ("DB4/T 1-2020", "not a standard number"),
        ("T/ 123-2021", "a group's code"),
        ("T/CAS", "a group's code"),
        ("Q/ 1-2020", "its own code"),
        ("Q/ABC", "its own code"),
        ("Q/ABC 0001SS-2020", "its own code"),
        ("GB " + "⒈" * 40 + "1-2020", "longer than 64 characters"),  # ⒈ is "1." once NFKC'd
    ],
)
def test_what_is_not_a_number_is_refused_saying_what_was_expected(typed, says):
    with pytest.raises(InvalidStandardNumber, match=says):
        parse_standard_number(typed, CODES)
    assert not is_standard_number(typed, CODES)


def test_a_year_can_be_required():
    with pytest.raises(InvalidStandardNumber, match="GB 2763: the year of the edition is missing"):
        parse_standard_number("GB 2763", CODES, year_required=True)
    assert parse_standard_number("GB 2763-2021", CODES, year_required=True).year == 2021


def test_the_industry_codes_come_from_the_policy():
    assert parse_standard_number("QB/T 1-2020", {"QB"}).kind is Kind.INDUSTRY
    with pytest.raises(InvalidStandardNumber):
        parse_standard_number("QB/T 1-2020", set())


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ＧＢ／Ｔ　１９５８０－２０１２", "GB/T 19580-2012"),
        ("gb / t  19580 — 2012", "GB/T 19580-2012"),
        ("q/abc   0001s", "Q/ABC 0001S"),
    ],
)
def test_normalising_keeps_only_meaningful_spaces(typed, normalised):
    assert normalise(typed) == normalised
