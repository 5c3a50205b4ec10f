"""EPC URNs and GS1 Digital Links name one product one way: the constrained canonical Digital
Link (GS1 Digital Link 1.2 §4.11; the conversions of the GS1 EPC Tag Data Standard)."""

from __future__ import annotations

import pytest

from qgov_traceability.epcis.identifiers import (
    InvalidIdentifier,
    canonical,
    check_digit,
    company_prefix_digits,
    lot_uri,
    pattern_prefix,
    valid_gtin,
)


@pytest.mark.parametrize(
    ("urn", "link"),
    [
        ("urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876"),
        (
            "urn:epc:class:lgtin:4012345.012345.998877",
            "https://id.gs1.org/01/04012345123456/10/998877",
        ),
        ("urn:epc:idpat:sgtin:4012345.066666.*", "https://id.gs1.org/01/04012345666663"),
        ("urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338"),
        ("urn:epc:id:sgln:4012345.00011.987", "https://id.gs1.org/414/4012345000115/254/987"),
        ("urn:epc:id:sgln:4012345.00011.0", "https://id.gs1.org/414/4012345000115"),
        ("urn:epc:id:pgln:4012345.00000", "https://id.gs1.org/417/4012345000009"),
        ("urn:epc:id:giai:4000001.111", "https://id.gs1.org/8004/4000001111"),
        ("urn:epc:id:gdti:4012345.11111.123", "https://id.gs1.org/253/4012345111118123"),
        ("urn:epc:id:grai:4012345.55555.345", "https://id.gs1.org/8003/04012345555554345"),
    ],
)
def test_an_epc_urn_becomes_its_canonical_digital_link(urn, link):
    assert canonical(urn) == link
    assert canonical(link) == link


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/01/4012345111118/21/9876",  # GTIN-13, another domain
        "https://id.gs1.org/01/04012345111118/10/L1/21/9876?17=261231",  # lot, serial, query
        "http://brand.example.cn/products/01/04012345111118/21/9876#top",
    ],
)
def test_digital_links_are_constrained_to_the_key_and_its_finest_qualifier(link):
    assert canonical(link) == "https://id.gs1.org/01/04012345111118/21/9876"


def test_values_that_are_no_gs1_key_are_kept():
    assert canonical(" geo:47.506694,11.104301 ") == "geo:47.506694,11.104301"
    assert canonical("https://example.com/po/12345678") == "https://example.com/po/12345678"


@pytest.mark.parametrize(
    "bad",
    [
        "urn:epc:id:sgtin:4012345.01111.9876",  # 12 digits before the check digit
        "urn:epc:id:sgtin:4012345.011111",  # no serial
        "urn:epc:id:nosuch:1.2.3",
        "https://id.gs1.org/01/12345/21/1",
    ],
)
def test_malformed_gs1_identifiers_are_refused(bad):
    with pytest.raises(InvalidIdentifier):
        canonical(bad)


def test_gs1_check_digits():
    assert check_digit("401234511111") == "8"
    assert valid_gtin("04012345111118")
    assert not valid_gtin("04012345111117")
    assert valid_gtin("6901234567892")  # a GTIN-13 of GS1 China's range


def test_patterns_match_every_serial_of_a_product():
    assert pattern_prefix("urn:epc:idpat:sgtin:4012345.011111.*") == (
        "https://id.gs1.org/01/04012345111118/"
    )
    assert pattern_prefix("urn:epc:id:sgtin:4012345.011111.9") is None


def test_the_company_prefix_starts_after_an_indicator_digit():
    assert company_prefix_digits("https://id.gs1.org/01/04012345111118/21/9876") == (
        "4012345111118"
    )
    assert company_prefix_digits("https://id.gs1.org/417/4012345000009") == "4012345000009"
    assert company_prefix_digits("geo:1,2") is None


def test_a_lot_of_a_gtin_13():
    assert lot_uri("6901234567892", "B42") == "https://id.gs1.org/01/06901234567892/10/B42"
