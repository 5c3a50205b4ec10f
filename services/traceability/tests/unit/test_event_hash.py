"""The CBV 2.0 event hash against the worked examples of GS1's reference implementation
(RalphTro/epcis-event-hash-generator, README "Worked examples", CBV 2.0 column): the same
pre-hash strings and hashes, whatever order or syntax (URN or Digital Link) the event uses."""

from __future__ import annotations

import copy

from qgov_traceability.epcis.event_hash import event_hash, namespaces_of, prehash

EXAMPLE = {"example": "https://ns.example.com/epcis/"}

USER_EXTENSIONS = {
    "type": "ObjectEvent",
    "eventTime": "2020-03-04T11:00:30.000+01:00",
    "eventTimeZoneOffset": "+01:00",
    "recordTime": "2020-03-04T11:00:30.999+01:00",
    "epcList": [
        "urn:epc:id:sscc:4012345.0000000333",
        "urn:epc:id:sscc:4012345.0000000111",
        "urn:epc:id:sscc:4012345.0000000222",
    ],
    "action": "OBSERVE",
    "bizStep": "departing",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.987"},
    "example:myField1": {"example:mySubField1": "2", "example:mySubField2": "5"},
    "example:myField2": "0",
    "example:myField3": {"example:mySubField3": ["3", "1"]},
}
USER_EXTENSIONS_PREHASH = (
    "eventType=ObjectEvent"
    "eventTime=2020-03-04T10:00:30.000Z"
    "eventTimeZoneOffset=+01:00"
    "epcList"
    "epc=https://id.gs1.org/00/040123450000001112"
    "epc=https://id.gs1.org/00/040123450000002225"
    "epc=https://id.gs1.org/00/040123450000003338"
    "action=OBSERVE"
    "bizStep=https://ref.gs1.org/cbv/BizStep-departing"
    "readPoint"
    "id=https://id.gs1.org/414/4012345000115/254/987"
    "{https://ns.example.com/epcis/}myField1"
    "{https://ns.example.com/epcis/}mySubField1=2"
    "{https://ns.example.com/epcis/}mySubField2=5"
    "{https://ns.example.com/epcis/}myField2=0"
    "{https://ns.example.com/epcis/}myField3"
    "{https://ns.example.com/epcis/}mySubField3=1"
    "{https://ns.example.com/epcis/}mySubField3=3"
)
SENSOR_DATA = {
    "type": "ObjectEvent",
    "eventTime": "2020-04-01T15:00:00+01:00",
    "eventTimeZoneOffset": "+01:00",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.9876"],
    "action": "OBSERVE",
    "bizStep": "inspecting",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00005.0"},
    "sensorElementList": [
        {
            "sensorMetadata": {
                "deviceID": "urn:epc:id:giai:4000001.111",
                "deviceMetadata": "https://id.gs1.org/8004/4000001111",
            },
            "sensorReport": [
                {"type": "Temperature", "value": 26, "sDev": 0.1, "uom": "CEL"},
                {"type": "AbsoluteHumidity", "value": 12.1, "uom": "A93"},
                {
                    "type": "Dimensionless",
                    "microorganism": "https://www.ncbi.nlm.nih.gov/taxonomy/1126011",
                    "value": 0.05,
                    "uom": "C35",
                },
                {
                    "type": "Dimensionless",
                    "chemicalSubstance": "https://identifiers.org/inchikey:CZMRCDWAGMRECN-UGDNZRGBSA-N",
                    "value": 0.18,
                    "uom": "C35",
                },
            ],
        }
    ],
}
TRANSACTIONS_AND_PARTIES = {
    "type": "ObjectEvent",
    "eventTime": "2020-03-04T11:00:30+01:00",
    "eventTimeZoneOffset": "+01:00",
    "epcList": ["urn:epc:id:sgtin:0614141.011111.987"],
    "action": "OBSERVE",
    "bizStep": "departing",
    "disposition": "in_transit",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00011.0", "example:myField1": "AB-12"},
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epc:id:gdti:4012345.11111.123"}],
    "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:4012345.00000"}],
    "destinationList": [{"type": "owning_party", "destination": "urn:epc:id:pgln:0614141.00000"}],
    "example:userExt": "CD-34",
}
TRANSACTIONS_AND_PARTIES_PREHASH = (
    "eventType=ObjectEvent"
    "eventTime=2020-03-04T10:00:30.000Z"
    "eventTimeZoneOffset=+01:00"
    "epcList"
    "epc=https://id.gs1.org/01/00614141111114/21/987"
    "action=OBSERVE"
    "bizStep=https://ref.gs1.org/cbv/BizStep-departing"
    "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
    "readPoint"
    "id=https://id.gs1.org/414/4012345000115"
    "bizTransactionList"
    "type=https://ref.gs1.org/cbv/BTT-po"
    "bizTransaction=https://id.gs1.org/253/4012345111118123"
    "sourceList"
    "type=https://ref.gs1.org/cbv/SDT-owning_party"
    "source=https://id.gs1.org/417/4012345000009"
    "destinationList"
    "type=https://ref.gs1.org/cbv/SDT-owning_party"
    "destination=https://id.gs1.org/417/0614141000005"
    "readPoint"
    "{https://ns.example.com/epcis/}myField1=AB-12"
    "{https://ns.example.com/epcis/}userExt=CD-34"
)


def test_user_extensions_follow_the_standard_fields_sorted_with_their_namespaces():
    assert prehash(USER_EXTENSIONS, EXAMPLE) == USER_EXTENSIONS_PREHASH
    assert event_hash(USER_EXTENSIONS, EXAMPLE) == (
        "ni:///sha-256;6ae96341e0acc6d7a261364751f60e68278a81cdf51da0abb6b4e617014e39d7?ver=CBV2.0"
    )


def test_sensor_reports_are_sorted_and_their_types_are_gs1_vocabulary_uris():
    assert event_hash(SENSOR_DATA) == (
        "ni:///sha-256;271565c346ae2fb28c4583c4dca4ab4772d465eb4e0b6e548d77d8b49377d95c?ver=CBV2.0"
    )


def test_typed_lists_put_the_type_first_and_field_extensions_move_to_the_end():
    assert prehash(TRANSACTIONS_AND_PARTIES, EXAMPLE) == TRANSACTIONS_AND_PARTIES_PREHASH
    assert event_hash(TRANSACTIONS_AND_PARTIES, EXAMPLE) == (
        "ni:///sha-256;3ae14c02c4bdc220cc31942cf804f6845eb8dec96ba6483391c92a9b165f9329?ver=CBV2.0"
    )


def test_the_same_event_written_otherwise_has_the_same_hash():
    rewritten = copy.deepcopy(USER_EXTENSIONS)
    rewritten["epcList"] = [
        "https://example.com/00/040123450000002225?x=1",  # a Digital Link on a custom domain
        "urn:epc:id:sscc:4012345.0000000333",
        "urn:epc:id:sscc:4012345.0000000111",
    ]
    rewritten["bizStep"] = "urn:epcglobal:cbv:bizstep:departing"
    rewritten["eventTime"] = "2020-03-04T10:00:30Z"
    rewritten["eventID"] = "urn:uuid:ignored"
    rewritten["errorDeclaration"] = {"declarationTime": "2020-03-05T00:00:00Z"}
    assert event_hash(dict(reversed(rewritten.items())), EXAMPLE) == event_hash(
        USER_EXTENSIONS, EXAMPLE
    )


def test_any_change_of_a_value_changes_the_hash():
    changed = {**USER_EXTENSIONS, "example:myField2": "1"}
    assert event_hash(changed, EXAMPLE) != event_hash(USER_EXTENSIONS, EXAMPLE)
    later = {**USER_EXTENSIONS, "eventTime": "2020-03-04T11:00:30.001+01:00"}
    assert event_hash(later, EXAMPLE) != event_hash(USER_EXTENSIONS, EXAMPLE)


def test_a_documents_context_declares_its_prefixes():
    context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", EXAMPLE]
    assert namespaces_of(context)["example"] == "https://ns.example.com/epcis/"
    assert namespaces_of(context)["cbv"] == "https://ref.gs1.org/cbv/"
