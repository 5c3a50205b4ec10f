"""The EPCIS event hash (CBV 2.0 §8.9, "EPCIS Event Hash ID"): a syntax-independent
fingerprint of an event, `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920).

The event's fields are written in the canonical property order into one pre-hash string,
`key=value` without separators, lists sorted, identifiers as constrained canonical Digital
Links, CBV terms as web URIs, times in UTC to the millisecond, numbers without trailing zeros.
User extensions (and extensions inside standard fields, which CBV 2.0 moves to the end, under
their parent's name) follow, as `{namespace}name=value`, sorted. The event ID, record time,
error declaration and certification info are left out, so an error declaration about an event
has the event's own hash. Checked against the reference implementation's worked examples
(RalphTro/epcis-event-hash-generator) in the unit tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from qgov_traceability.epcis import vocabulary
from qgov_traceability.epcis.identifiers import canonical
from qgov_traceability.epcis.values import items, scalar, text, utc_millis
from qgov_traceability.epcis.vocabulary import STANDARD_PREFIXES, cbv_uri

VERSION = "CBV2.0"
EXCLUDED = frozenset({"type", "eventID", "recordTime", "errorDeclaration", "certificationInfo"})
_QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList")
_SENSOR_METADATA = (
    "time",
    "startTime",
    "endTime",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
)
_SENSOR_REPORT = (
    "type",
    "exception",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "time",
    "microorganism",
    "chemicalSubstance",
    "value",
    "component",
    "stringValue",
    "booleanValue",
    "hexBinaryValue",
    "uriValue",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
    "uom",
    "coordinateReferenceSystem",
)
_TIMES = frozenset({"time", "startTime", "endTime"})
_IDENTIFIERS = frozenset({"deviceID", "deviceMetadata", "rawData"})


def event_hash(event: Mapping[str, Any], namespaces: Mapping[str, str] | None = None) -> str:
    """The event's hash ID; `namespaces` maps the compact-URI prefixes its document declares
    in `@context` to their namespaces (see `namespaces_of`)."""
    digest = hashlib.sha256(prehash(event, namespaces).encode()).hexdigest()
    return f"ni:///sha-256;{digest}?ver={VERSION}"


def namespaces_of(context: Any) -> dict[str, str]:
    """The prefixes a JSON-LD `@context` (a URL, an object, or a list of them) declares."""
    entries = context if isinstance(context, list) else [context]
    declared = {
        prefix: namespace
        for entry in entries
        if isinstance(entry, dict)
        for prefix, namespace in entry.items()
        if isinstance(namespace, str) and not prefix.startswith("@")
    }
    return {**STANDARD_PREFIXES, **declared}


def prehash(event: Mapping[str, Any], namespaces: Mapping[str, str] | None = None) -> str:
    """The canonical pre-hash string of one event (a JSON/JSON-LD event object)."""
    names = {**STANDARD_PREFIXES, **(namespaces or {})}
    writer = _Writer(names)
    ordered = [f"eventType={text(event.get('type'))}"]
    for field, write in _ORDER:
        if field in event:
            ordered.append(write(writer, field, event[field]))
    standard = {field for field, _ in _ORDER} | EXCLUDED
    rest = [
        entry
        for key, value in event.items()
        if key not in standard and not key.startswith("@")
        for entry in writer.generic(key, value)
    ]
    return "".join(ordered) + "".join(sorted(rest + writer.nested_extensions))


class _Writer:
    """Writes fields into pre-hash strings; collects the extensions found inside standard
    fields, which CBV 2.0 appends at the end under their parents' names."""

    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self.namespaces = namespaces
        self.nested_extensions: list[str] = []

    def key(self, key: str) -> str:
        prefix, colon, local = key.partition(":")
        if colon and prefix in self.namespaces:
            return f"{{{self.namespaces[prefix]}}}{local}"
        return key

    def generic(self, key: str, value: Any) -> list[str]:
        """An extension element, as entries (a JSON list is that many sibling elements)."""
        if isinstance(value, list):
            return [entry for item in value for entry in self.generic(key, item)]
        name = self.key(key)
        if isinstance(value, dict):
            children = [
                e for k, v in value.items() if not k.startswith("@") for e in self.generic(k, v)
            ]
            return [name + "".join(sorted(children))]
        written = scalar(value)
        return [f"{name}={written}" if written else name]

    def extensions_of(self, path: str, node: Mapping[str, Any], standard: Iterable[str]) -> None:
        known = set(standard)
        children = [
            entry
            for key, value in node.items()
            if key not in known and not key.startswith("@")
            for entry in self.generic(key, value)
        ]
        if children:
            self.nested_extensions.append(path + "".join(sorted(children)))

    def sensor_element(self, element: Mapping[str, Any]) -> str:
        parts = ["sensorElement"]
        metadata = element.get("sensorMetadata")
        if isinstance(metadata, dict):
            parts.append("sensorMetadata" + _fields(metadata, _SENSOR_METADATA, _sensor_value))
            self.extensions_of(
                "sensorElementListsensorElementsensorMetadata", metadata, _SENSOR_METADATA
            )
        reports = element.get("sensorReport") or []
        for report in reports if isinstance(reports, list) else [reports]:
            if isinstance(report, dict):
                self.extensions_of(
                    "sensorElementListsensorElementsensorReport", report, _SENSOR_REPORT
                )
        parts += sorted(
            "sensorReport" + _fields(report, _SENSOR_REPORT, _sensor_value)
            for report in (reports if isinstance(reports, list) else [reports])
            if isinstance(report, dict)
        )
        self.extensions_of(
            "sensorElementListsensorElement", element, ("sensorMetadata", "sensorReport")
        )
        return "".join(parts)


def _fields(node: Mapping[str, Any], order: tuple[str, ...], value: Callable) -> str:
    return "".join(f"{name}={value(name, node[name])}" for name in order if name in node)


def _sensor_value(name: str, value: Any) -> str:
    if name in _TIMES:
        return utc_millis(text(value))
    if name == "type":
        return vocabulary.measurement_type(text(value))
    if name == "component":
        return cbv_uri(text(value), vocabulary.COMPONENT)
    if name in _IDENTIFIERS:
        return canonical(text(value))
    return scalar(value)


def _epc_list(writer: _Writer, field: str, value: Any) -> str:
    if field == "parentID":
        return f"parentID={canonical(text(value))}"
    return _listed(field, (f"epc={canonical(text(epc))}" for epc in items(value)))


def _quantity_list(writer: _Writer, field: str, value: Any) -> str:
    elements = (
        "quantityElement" + _fields(item, ("epcClass", "quantity", "uom"), _quantity_value)
        for item in items(value)
        if isinstance(item, dict)
    )
    return _listed(field, elements)


def _quantity_value(name: str, value: Any) -> str:
    return canonical(text(value)) if name == "epcClass" else scalar(value)


def _plain(writer: _Writer, field: str, value: Any) -> str:
    return f"{field}={scalar(value)}"


def _vocabulary(term: str) -> Callable[[_Writer, str, Any], str]:
    return lambda writer, field, value: f"{field}={cbv_uri(text(value), term)}"


def _persistent_disposition(writer: _Writer, field: str, value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [
        "".join(
            sorted(
                f"{key}={cbv_uri(text(v), vocabulary.DISPOSITION)}" for v in items(value.get(key))
            )
        )
        for key in ("set", "unset")
    ]
    return field + "".join(parts) if any(parts) else ""


def _place(writer: _Writer, field: str, value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    writer.extensions_of(field, value, ("id",))
    return f"{field}id={canonical(text(value['id']))}" if "id" in value else ""


def _typed_list(member: str, term: str) -> Callable[[_Writer, str, Any], str]:
    def write(writer: _Writer, field: str, value: Any) -> str:
        elements = (
            (f"type={cbv_uri(text(item['type']), term)}" if "type" in item else "")
            + f"{member}={canonical(text(item.get(member)))}"
            for item in items(value)
            if isinstance(item, dict)
        )
        return _listed(field, elements)

    return write


def _sensor_elements(writer: _Writer, field: str, value: Any) -> str:
    # CBV 2.0 names no sensorElementList wrapper (2.1 will); only its elements appear.
    return "".join(sorted(writer.sensor_element(e) for e in items(value) if isinstance(e, dict)))


def _ilmd(writer: _Writer, field: str, value: Any) -> str:
    # ILMD elements are written like user extensions; "ilmd" sorts before every one of them.
    return writer.generic(field, value)[0] if isinstance(value, dict) else ""


_ORDER: tuple[tuple[str, Callable[[_Writer, str, Any], str]], ...] = (
    ("eventTime", lambda w, f, v: f"eventTime={utc_millis(text(v))}"),
    ("eventTimeZoneOffset", _plain),
    ("epcList", _epc_list),
    ("parentID", _epc_list),
    ("inputEPCList", _epc_list),
    ("childEPCs", _epc_list),
    *((name, _quantity_list) for name in _QUANTITY_LISTS),
    ("outputEPCList", _epc_list),
    ("outputQuantityList", _quantity_list),
    ("action", _plain),
    ("transformationID", lambda w, f, v: f"transformationID={canonical(text(v))}"),
    ("bizStep", _vocabulary(vocabulary.BIZ_STEP)),
    ("disposition", _vocabulary(vocabulary.DISPOSITION)),
    ("persistentDisposition", _persistent_disposition),
    ("readPoint", _place),
    ("bizLocation", _place),
    ("bizTransactionList", _typed_list("bizTransaction", vocabulary.BIZ_TRANSACTION_TYPE)),
    ("sourceList", _typed_list("source", vocabulary.SOURCE_DESTINATION_TYPE)),
    ("destinationList", _typed_list("destination", vocabulary.SOURCE_DESTINATION_TYPE)),
    ("sensorElementList", _sensor_elements),
    ("ilmd", _ilmd),
)


def _listed(field: str, elements: Iterable[str]) -> str:
    """A list: its name once, then its elements sorted; nothing when it is empty."""
    ordered = sorted(elements)
    return field + "".join(ordered) if ordered else ""
