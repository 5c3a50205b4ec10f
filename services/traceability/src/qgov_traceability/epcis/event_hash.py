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
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from qgov_traceability.epcis import vocabulary
from qgov_traceability.epcis.identifiers import canonical
from qgov_traceability.epcis.vocabulary import STANDARD_PREFIXES, cbv_uri, expand

VERSION = "CBV2.0"
EXCLUDED = frozenset({"type", "eventID", "recordTime", "errorDeclaration", "certificationInfo"})
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
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
    ordered = [f"eventType={_text(event.get('type'))}"]
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
        text = _value(value)
        return [f"{name}={text}" if text else name]

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
        return utc_millis(_text(value))
    if name == "type":
        return vocabulary.measurement_type(_text(value))
    if name == "component":
        return cbv_uri(_text(value), vocabulary.COMPONENT)
    if name in _IDENTIFIERS:
        return canonical(_text(value))
    return _value(value)


def _epc_list(writer: _Writer, field: str, value: Any) -> str:
    if field == "parentID":
        return f"parentID={canonical(_text(value))}"
    return _listed(field, (f"epc={canonical(_text(epc))}" for epc in _items(value)))


def _quantity_list(writer: _Writer, field: str, value: Any) -> str:
    elements = (
        "quantityElement" + _fields(item, ("epcClass", "quantity", "uom"), _quantity_value)
        for item in _items(value)
        if isinstance(item, dict)
    )
    return _listed(field, elements)


def _quantity_value(name: str, value: Any) -> str:
    return canonical(_text(value)) if name == "epcClass" else _value(value)


def _plain(writer: _Writer, field: str, value: Any) -> str:
    return f"{field}={_value(value)}"


def _vocabulary(term: str) -> Callable[[_Writer, str, Any], str]:
    return lambda writer, field, value: f"{field}={cbv_uri(_text(value), term)}"


def _persistent_disposition(writer: _Writer, field: str, value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    parts = [
        "".join(
            sorted(
                f"{key}={cbv_uri(_text(v), vocabulary.DISPOSITION)}" for v in _items(value.get(key))
            )
        )
        for key in ("set", "unset")
    ]
    return field + "".join(parts) if any(parts) else ""


def _place(writer: _Writer, field: str, value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    writer.extensions_of(field, value, ("id",))
    return f"{field}id={canonical(_text(value['id']))}" if "id" in value else ""


def _typed_list(member: str, term: str) -> Callable[[_Writer, str, Any], str]:
    def write(writer: _Writer, field: str, value: Any) -> str:
        elements = (
            (f"type={cbv_uri(_text(item['type']), term)}" if "type" in item else "")
            + f"{member}={canonical(_text(item.get(member)))}"
            for item in _items(value)
            if isinstance(item, dict)
        )
        return _listed(field, elements)

    return write


def _sensor_elements(writer: _Writer, field: str, value: Any) -> str:
    # CBV 2.0 names no sensorElementList wrapper (2.1 will); only its elements appear.
    return "".join(sorted(writer.sensor_element(e) for e in _items(value) if isinstance(e, dict)))


def _ilmd(writer: _Writer, field: str, value: Any) -> str:
    # ILMD elements are written like user extensions; "ilmd" sorts before every one of them.
    return writer.generic(field, value)[0] if isinstance(value, dict) else ""


_ORDER: tuple[tuple[str, Callable[[_Writer, str, Any], str]], ...] = (
    ("eventTime", lambda w, f, v: f"eventTime={utc_millis(_text(v))}"),
    ("eventTimeZoneOffset", _plain),
    ("epcList", _epc_list),
    ("parentID", _epc_list),
    ("inputEPCList", _epc_list),
    ("childEPCs", _epc_list),
    *((name, _quantity_list) for name in _QUANTITY_LISTS),
    ("outputEPCList", _epc_list),
    ("outputQuantityList", _quantity_list),
    ("action", _plain),
    ("transformationID", lambda w, f, v: f"transformationID={canonical(_text(v))}"),
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


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _value(value: Any) -> str:
    """A scalar as the hash writes it: numbers without trailing zeros, booleans as XML does,
    CBV URNs as web URIs, identifiers as canonical Digital Links."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return plain_number(repr(value))
    text = _text(value)
    if _NUMBER.match(text):
        return plain_number(text)
    try:
        return canonical(expand(text))
    except ValueError:
        return text


def plain_number(text: str) -> str:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    if not number.is_finite():
        return text
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def utc_millis(timestamp: str) -> str:
    """An RFC 3339 time in UTC with milliseconds (`…T10:00:30.000Z`); the fraction beyond
    milliseconds is cut, as CBV 2.0 says nothing of rounding."""
    moment = parse_time(timestamp)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(timestamp: str) -> datetime:
    """An RFC 3339 date-time with its offset; `ValueError` for anything else."""
    text = re.sub(r"(\.\d{6})\d+", r"\1", timestamp.strip())
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None or "T" not in text.upper():
        raise ValueError("a time needs a date, a time and an offset")
    return moment
