"""The standard query parameters, parsed and normalised as captured events are, and refused
with the parameter named when the standard does not define them or their value."""

from __future__ import annotations

import pytest

from qgov_traceability.epcis.query import QueryParameterError, parse_query
from qgov_traceability.epcis.reading import Role


def parsed(**params: str):
    return parse_query(params, max_per_page=100)


def test_terms_and_identifiers_are_normalised_like_captured_events():
    query = parsed(
        EQ_bizStep="shipping|urn:epcglobal:cbv:bizstep:receiving",
        EQ_readPoint="urn:epc:id:sgln:4012345.00011.0",
        MATCH_epc="https://example.com/01/4012345111118/21/9876",
    )
    assert query.biz_steps == (
        "https://ref.gs1.org/cbv/BizStep-shipping",
        "https://ref.gs1.org/cbv/BizStep-receiving",
    )
    assert query.read_points == ("https://id.gs1.org/414/4012345000115",)
    [match] = query.matches
    assert match.roles == (Role.EPC, Role.CHILD)
    assert match.uris == ("https://id.gs1.org/01/04012345111118/21/9876",)


def test_a_pattern_matches_by_prefix():
    [match] = parsed(MATCH_anyEPC="urn:epc:idpat:sgtin:4012345.011111.*").matches
    assert match.prefixes == ("https://id.gs1.org/01/04012345111118/",)
    assert Role.PARENT in match.roles


def test_defaults_and_order():
    query = parsed()
    assert (query.order_by, query.descending, query.include_corrected) == ("event_time", True, True)
    ascending = parsed(orderBy="recordTime", orderDirection="ASC", includeCorrectedEvents="false")
    assert (ascending.order_by, ascending.descending) == ("record_time", False)
    assert ascending.include_corrected is False
    assert parsed(EQ_type="ObjectEvent").named == {"EQ_type": "ObjectEvent"}
    assert parsed(perPage="5").named == {}  # paging is not part of a named query


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"MATCH_colour": "red"}, "MATCH_colour"),
        ({"EQ_action": "add"}, "EQ_action"),
        ({"LT_eventTime": "2026-11-02T09:00:00"}, "LT_eventTime"),  # no offset
        ({"perPage": "101"}, "perPage"),
        ({"perPage": "1e3"}, "perPage"),
        ({"eventCountLimit": "12345678901234567890"}, "eventCountLimit"),
        ({"EQ_bizStep": "|".join(["shipping"] * 101)}, "EQ_bizStep"),
        ({"EQ_eventID": "x" * 513}, "EQ_eventID"),
        ({"MATCH_epc": "urn:epc:idpat:sgtin:4012345.011111"}, "MATCH_epc"),
    ],
)
def test_what_the_standard_does_not_define_is_refused_by_name(params, parameter):
    with pytest.raises(QueryParameterError) as refused:
        parse_query(params, max_per_page=100)
    assert refused.value.parameter == parameter
