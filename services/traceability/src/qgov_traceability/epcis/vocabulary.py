"""The Core Business Vocabulary (CBV 2.0) in one form: its web URIs. JSON documents name CBV
terms bare (`shipping`), XML-era documents as URNs (`urn:epcglobal:cbv:bizstep:shipping`), and
some as compact URIs (`cbv:BizStep-shipping`); all three mean
`https://ref.gs1.org/cbv/BizStep-shipping`, which is what is stored, hashed and compared."""

from __future__ import annotations

from collections.abc import Mapping

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://ref.gs1.org/voc/"
_URN_PREFIXES = {
    "urn:epcglobal:cbv:bizstep:": "BizStep-",
    "urn:epcglobal:cbv:disp:": "Disp-",
    "urn:epcglobal:cbv:btt:": "BTT-",
    "urn:epcglobal:cbv:sdt:": "SDT-",
    "urn:epcglobal:cbv:er:": "ER-",
}
STANDARD_PREFIXES: Mapping[str, str] = {
    "cbv": CBV,
    "gs1": GS1_VOC,
    "epcis": "https://ref.gs1.org/epcis/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
}
"""The compact-URI prefixes every EPCIS 2.0 JSON-LD document may use without declaring them."""

BIZ_STEP, DISPOSITION = "BizStep-", "Disp-"
BIZ_TRANSACTION_TYPE, SOURCE_DESTINATION_TYPE = "BTT-", "SDT-"
ERROR_REASON, COMPONENT = "ER-", "Comp-"


def cbv_uri(value: str, term: str) -> str:
    """A CBV term of one vocabulary (`term` is its prefix, e.g. `BizStep-`) as its web URI;
    a value that is already a URI of another vocabulary is kept (after expansion)."""
    text = expand(value)
    return text if ":" in text else f"{CBV}{term}{text}"


def measurement_type(value: str) -> str:
    """A sensor report's type: a GS1 Web Vocabulary term (`Temperature`, `gs1:Temperature`)."""
    text = expand(value)
    return text if ":" in text else f"{GS1_VOC}{text}"


def expand(value: str, prefixes: Mapping[str, str] = STANDARD_PREFIXES) -> str:
    """CBV URNs as web URIs and compact URIs with a known prefix in full; others trimmed."""
    text = value.strip()
    for urn, term in _URN_PREFIXES.items():
        if text.startswith(urn):
            return f"{CBV}{term}{text.removeprefix(urn)}"
    prefix, colon, rest = text.partition(":")
    if colon and prefix in prefixes and not rest.startswith("//"):
        return prefixes[prefix] + rest
    return text
