"""EPC URNs and GS1 Digital Link URIs, normalised to one form: the constrained canonical
Digital Link (`https://id.gs1.org/01/04012345111118/21/9876`), as GS1 Digital Link 1.2 §4.11
and the CBV 2.0 event hash define it. A product captured as `urn:epc:id:sgtin:…` and queried as
a Digital Link (or the other way round) is then the same identifier.

A value that is neither (a `geo:` URI, a private URL, a business-transaction URN) is kept as
given, trimmed."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

DIGITAL_LINK_ROOT = "https://id.gs1.org"
_EPC_URN = re.compile(r"^urn:epc:(id|class|idpat):([a-z]+):(.+)$")
_DIGITS = re.compile(r"^[0-9]+$")
# The primary keys a constrained canonical Digital Link may carry, each with the qualifiers
# kept (most fine-grained first): GS1 Digital Link 1.2 §4.11, as the CBV event hash lists them.
_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "00": (),
    "01": ("21", "235", "10"),
    "253": (),
    "255": (),
    "401": (),
    "402": (),
    "414": ("254",),
    "417": (),
    "8003": (),
    "8004": (),
    "8006": ("21", "10"),
    "8010": ("8011",),
    "8017": (),
    "8018": (),
}
_KEY_LENGTHS = {"00": 18, "01": 14, "414": 13, "417": 13, "8006": 18, "402": 17, "8017": 18}
_PREFIX_START = {"00": 1, "01": 1, "8003": 1, "8006": 1}
"""Where the GS1 company prefix starts in a key: after SSCC's extension digit, GTIN's and
ITIP's indicator digit, GRAI's leading zero."""


class InvalidIdentifier(ValueError):
    """An EPC URN or Digital Link that does not follow its syntax."""


def check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of `digits` (weights 3, 1, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def with_check_digit(digits: str) -> str:
    return digits + check_digit(digits)


def canonical(value: str) -> str:
    """The constrained canonical Digital Link of an EPC URN or Digital Link; other values
    trimmed. Raises `InvalidIdentifier` for an EPC URN or Digital Link that is malformed."""
    text = value.strip()
    if text.startswith("urn:epc:"):
        return epc_urn_to_digital_link(text)
    if text.startswith(("https://", "http://")) and (link := _digital_link(text)) is not None:
        return link
    return text


def is_canonical_key(uri: str) -> bool:
    return uri.startswith(DIGITAL_LINK_ROOT + "/")


def epc_urn_to_digital_link(urn: str) -> str:
    match = _EPC_URN.match(urn)
    if match is None:
        raise InvalidIdentifier(f"not an EPC URN: {urn[:80]}")
    kind, scheme, body = match.groups()
    converter = _CONVERTERS.get((kind, scheme))
    if converter is None:
        raise InvalidIdentifier(f"unknown EPC scheme {kind}:{scheme}")
    parts = body.split(".")
    try:
        path = converter(parts)
    except (IndexError, ValueError) as error:
        raise InvalidIdentifier(f"malformed {scheme} URN: {urn[:80]}") from error
    return f"{DIGITAL_LINK_ROOT}/{path}"


def _numeric(*parts: str) -> str:
    joined = "".join(parts)
    if not _DIGITS.match(joined):
        raise ValueError("company prefix and references are digits")
    return joined


def _gtin(prefix: str, indicator_and_item: str) -> str:
    if len(prefix) + len(indicator_and_item) != 13:
        raise ValueError("a GTIN has 13 digits before its check digit")
    return with_check_digit(_numeric(indicator_and_item[0], prefix, indicator_and_item[1:]))


def _fixed(length: int, *parts: str) -> str:
    digits = _numeric(*parts)
    if len(digits) != length:
        raise ValueError(f"expected {length} digits")
    return with_check_digit(digits)


def _any_serial(parts: list[str]) -> str:
    """A pattern of every serial of one product ends in `.*`."""
    if len(parts) != 3 or parts[2] != "*":
        raise ValueError("an sgtin pattern is CompanyPrefix.ItemReference.*")
    return ""


def _serial(text: str) -> str:
    if not text or text == "*":
        raise ValueError("a serial is needed")
    return text


_CONVERTERS: dict[tuple[str, str], Callable[[list[str]], str]] = {
    ("id", "sgtin"): lambda p: f"01/{_gtin(p[0], p[1])}/21/{_serial(p[2])}",
    ("class", "lgtin"): lambda p: f"01/{_gtin(p[0], p[1])}/10/{_serial(p[2])}",
    ("idpat", "sgtin"): lambda p: f"01/{_gtin(p[0], p[1])}" + _any_serial(p),
    ("id", "sscc"): lambda p: f"00/{_fixed(17, p[1][0], p[0], p[1][1:])}",
    ("id", "sgln"): lambda p: (
        f"414/{_fixed(12, p[0], p[1])}" + ("" if p[2] == "0" else f"/254/{p[2]}")
    ),
    ("id", "pgln"): lambda p: f"417/{_fixed(12, p[0], p[1])}",
    ("id", "grai"): lambda p: f"8003/{_fixed(13, '0', p[0], p[1])}{p[2]}",
    ("id", "giai"): lambda p: f"8004/{_numeric(p[0])}{p[1]}",
    ("id", "gsrn"): lambda p: f"8018/{_fixed(17, p[0], p[1])}",
    ("id", "gsrnp"): lambda p: f"8017/{_fixed(17, p[0], p[1])}",
    ("id", "gdti"): lambda p: f"253/{_fixed(12, p[0], p[1])}{p[2]}",
    ("id", "sgcn"): lambda p: f"255/{_fixed(12, p[0], p[1])}{p[2]}",
    ("id", "ginc"): lambda p: f"401/{_numeric(p[0])}{p[1]}",
    ("id", "gsin"): lambda p: f"402/{_fixed(16, p[0], p[1])}",
    ("id", "cpi"): lambda p: f"8010/{_numeric(p[0])}{p[1]}/8011/{p[2]}",
    ("id", "upui"): lambda p: f"01/{_gtin(p[0], p[1])}/235/{_serial(p[2])}",
    ("id", "itip"): lambda p: f"8006/{_gtin(p[0], p[1])}{p[2]}{p[3]}/21/{_serial(p[4])}",
}


def _digital_link(url: str) -> str | None:
    """The constrained canonical form of a Digital Link, or None if `url` is none: its domain
    becomes id.gs1.org, the query goes, and only the key and its finest qualifier stay."""
    path = [segment for segment in urlsplit(url).path.split("/") if segment]
    start = next((i for i, s in enumerate(path) if s in _QUALIFIERS and i + 1 < len(path)), None)
    if start is None:
        return None
    key, value = path[start], path[start + 1]
    pairs = dict(zip(path[start + 2 :: 2], path[start + 3 :: 2], strict=False))
    if key in _KEY_LENGTHS:
        value = _padded_key(key, value)
    finest = next((q for q in _QUALIFIERS[key] if q in pairs), None)
    link = f"{DIGITAL_LINK_ROOT}/{key}/{value}"
    return f"{link}/{finest}/{pairs[finest]}" if finest else link


def _padded_key(key: str, value: str) -> str:
    length = _KEY_LENGTHS[key]
    if not _DIGITS.match(value) or len(value) > length or (key != "01" and len(value) < length):
        raise InvalidIdentifier(f"a Digital Link's {key} key must be {length} digits")
    if key == "01" and len(value) not in (8, 12, 13, 14):
        raise InvalidIdentifier("a GTIN has 8, 12, 13 or 14 digits")
    return value.zfill(length)


def pattern_prefix(value: str) -> str | None:
    """For an EPC pattern (`urn:epc:idpat:sgtin:4012345.011111.*`), the canonical prefix every
    matching instance starts with; None for a plain identifier."""
    if not value.strip().startswith("urn:epc:idpat:"):
        return None
    return canonical(value) + "/"


def company_prefix_digits(uri: str) -> str | None:
    """The digits of a canonical GS1 key from where its company prefix starts (the prefix is
    some leading part of them), or None for a value that is no GS1 key."""
    if not is_canonical_key(uri):
        return None
    parts = uri.removeprefix(DIGITAL_LINK_ROOT + "/").split("/")
    if len(parts) < 2 or not _DIGITS.match(parts[1][:4]):
        return None
    key, value = parts[0], parts[1]
    digits = re.match(r"^[0-9]*", value).group(0)
    return digits[_PREFIX_START.get(key, 0) :] or None


def lot_uri(gtin: str, lot: str) -> str:
    """The canonical Digital Link of a batch/lot of a product."""
    return f"{DIGITAL_LINK_ROOT}/01/{_padded_key('01', gtin)}/10/{lot}"


def item_uri(gtin: str, serial: str) -> str:
    return f"{DIGITAL_LINK_ROOT}/01/{_padded_key('01', gtin)}/21/{serial}"


def gtin_of(uri: str) -> str | None:
    """The GTIN-14 of a canonical product, lot or item Digital Link."""
    prefix = DIGITAL_LINK_ROOT + "/01/"
    if not uri.startswith(prefix):
        return None
    return uri.removeprefix(prefix).split("/")[0]


def valid_gtin(gtin: str) -> bool:
    return (
        bool(_DIGITS.match(gtin))
        and len(gtin) in (8, 12, 13, 14)
        and (check_digit(gtin[:-1]) == gtin[-1])
    )
