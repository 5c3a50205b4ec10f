"""EPC URNs and GS1 Digital Links from captures and queries: an SGTIN and its Digital Link are
one identifier, the canonical form is a fixed point, and no text raises anything but
`InvalidIdentifier`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qgov_traceability.epcis.identifiers import (
    DIGITAL_LINK_ROOT,
    InvalidIdentifier,
    canonical,
    gtin_of,
    valid_gtin,
    with_check_digit,
)

PROPERTIES = settings(max_examples=150, deadline=None, derandomize=True, database=None)
_serials = st.from_regex(r"[A-Za-z0-9]{1,20}", fullmatch=True)


@st.composite
def sgtins(draw: st.DrawFn) -> tuple[str, str, str]:
    """An SGTIN URN, its GTIN-14 and its serial."""
    prefix_length = draw(st.integers(6, 12))
    prefix = draw(st.text("0123456789", min_size=prefix_length, max_size=prefix_length))
    item = draw(st.text("0123456789", min_size=13 - prefix_length, max_size=13 - prefix_length))
    serial = draw(_serials)
    gtin = with_check_digit(item[0] + prefix + item[1:])
    return f"urn:epc:id:sgtin:{prefix}.{item}.{serial}", gtin, serial


@PROPERTIES
@given(sgtins(), st.sampled_from(["https://id.gs1.org", "https://example.com/a", "http://x.cn"]))
def test_an_sgtin_and_its_digital_link_are_one_identifier(sgtin, domain: str) -> None:
    urn, gtin, serial = sgtin
    expected = f"{DIGITAL_LINK_ROOT}/01/{gtin}/21/{serial}"
    assert canonical(urn) == expected
    assert canonical(f"{domain}/01/{gtin}/21/{serial}?linkType=all") == expected
    if gtin.startswith("0"):  # a GTIN-13 in a link is padded to 14 digits
        assert canonical(f"{domain}/01/{gtin[1:]}/21/{serial}") == expected
    assert valid_gtin(gtin)
    assert gtin_of(expected) == gtin


_texts = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda kind, scheme, body: f"urn:epc:{kind}:{scheme}:{body}",
        st.sampled_from(["id", "class", "idpat", "xx"]),
        st.sampled_from(
            [
                "sgtin",
                "lgtin",
                "sscc",
                "sgln",
                "pgln",
                "grai",
                "giai",
                "gsrn",
                "gdti",
                "sgcn",
                "ginc",
                "gsin",
                "cpi",
                "upui",
                "itip",
                "zz",
            ]
        ),
        st.from_regex(r"[0-9.*A-Za-z]{0,30}", fullmatch=True),
    ),
    st.builds(
        lambda domain, path: f"https://{domain}/{path}",
        st.sampled_from(["id.gs1.org", "example.com"]),
        st.from_regex(r"((00|01|10|21|414|254|8006|417)/[0-9A-Za-z]{0,20}/?){0,4}", fullmatch=True),
    ),
)


@PROPERTIES
@given(_texts)
def test_any_text_is_canonical_or_a_documented_refusal(text: str) -> None:
    try:
        form = canonical(text)
    except InvalidIdentifier as error:
        form, refusal = None, str(error)
    else:
        refusal = None
    if form is None:
        assert refusal
    else:
        assert canonical(form) == form
