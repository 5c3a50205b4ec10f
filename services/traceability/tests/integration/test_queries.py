"""Every standard query parameter of EPCIS 2.0 on a captured supply chain, the standard's
errors for unknown parameters and bad values, paging, Digital Link ↔ EPC URN equivalence, and
who sees which events."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import quote

import pytest

from qgov_shared.testing.clock import START, TestClock
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import TestStack

from .conftest import Desk, document, lgtin, object_event, open_desk, sgtin
from .supply_chain import (
    CASE_1,
    CONTEXT,
    ITEMS,
    PALLET,
    SHELF,
    STORE,
    at,
    producer_events,
    retailer_events,
)

CONVERTED = sgtin("033333", 7)
CONVERTED_LINK = "https://id.gs1.org/01/06901234333336/21/7"
EXTRA = [
    {
        "type": "TransformationEvent",
        "eventTime": at(20),
        "eventTimeZoneOffset": "+08:00",
        "inputEPCList": [ITEMS[3]],
        "outputEPCList": ["https://shop.example.cn/01/6901234333336/21/7?src=qr"],
        "bizStep": "repairing",
    },
    object_event(at(21), quantityList=[{"epcClass": lgtin("022222", "L2026"), "quantity": 2}]),
]


@pytest.fixture(scope="module")
async def chain(stack: TestStack) -> AsyncIterator[Desk]:
    """The chain, the producer's part recorded an hour before the retailer's; the tests only
    read it, so they share one service."""
    async with open_desk(stack, TestClock()) as desk:
        await desk.register_parties()
        made = document(*producer_events(), *EXTRA, context=CONTEXT)
        await desk.captured(made, as_=desk.producer)
        desk.clock.advance(hours=1)
        await desk.captured(document(*retailer_events(), context=CONTEXT), as_=desk.retailer)
        yield desk


async def count(desk: Desk, **params: str) -> int:
    return len(await desk.events(**params))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 12),
        ({"GE_eventTime": at(5), "LT_eventTime": at(10)}, 3),
        ({"EQ_action": "DELETE"}, 1),
        ({"EQ_action": "ADD|DELETE"}, 5),
        ({"EQ_bizStep": "shipping"}, 2),
        ({"EQ_bizStep": "urn:epcglobal:cbv:bizstep:shipping"}, 2),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-shipping|receiving"}, 3),
        ({"EQ_disposition": "in_transit"}, 1),
        ({"EQ_readPoint": STORE}, 3),
        ({"EQ_readPoint": "https://id.gs1.org/414/6909999000012"}, 3),
        ({"EQ_bizLocation": SHELF}, 1),
        ({"MATCH_epc": PALLET}, 3),
        ({"MATCH_epc": "https://id.gs1.org/00/069012340000000030"}, 3),
        ({"MATCH_epc": "urn:epc:idpat:sgtin:6901234.022222.*"}, 3),
        ({"MATCH_parentID": PALLET}, 2),
        ({"MATCH_inputEPC": ITEMS[3]}, 1),
        ({"MATCH_outputEPC": CONVERTED}, 1),
        ({"MATCH_outputEPC": CONVERTED_LINK}, 1),
        ({"MATCH_anyEPC": CASE_1}, 4),
        ({"MATCH_anyEPC": ITEMS[3]}, 3),
        ({"MATCH_epcClass": "https://id.gs1.org/01/06901234222227/10/L2026"}, 1),
        ({"EQ_type": "AggregationEvent"}, 4),
        ({"EQ_type": "TransformationEvent|TransactionEvent"}, 2),
        ({"EXISTS_errorDeclaration": ""}, 0),
        ({"eventCountLimit": "5"}, 5),
        ({"EQ_bizStep": "shipping", "MATCH_epc": PALLET, "GE_eventTime": at(6)}, 1),
    ],
)
async def test_each_query_parameter_selects_what_the_standard_says(chain: Desk, params, expected):
    assert await count(chain, **params) == expected


async def test_record_time_and_event_id(chain: Desk):
    later = (START + timedelta(minutes=30)).isoformat()
    assert await count(chain, GE_recordTime=later) == 4
    assert await count(chain, LT_recordTime=later) == 8
    [one] = await chain.ids(EQ_bizStep="stocking")
    assert await chain.ids(EQ_eventID=one) == [one]


async def test_order_and_pages(chain: Desk):
    ascending = await chain.events(orderBy="eventTime", orderDirection="ASC")
    times = [event["eventTime"] for event in ascending]
    assert times == sorted(times, key=lambda t: t)
    assert [e["eventID"] for e in await chain.events()] == [e["eventID"] for e in ascending][::-1]
    by_record = await chain.events(orderBy="recordTime", orderDirection="ASC")
    assert by_record[-1]["recordTime"] > by_record[0]["recordTime"]

    first = await chain.query(perPage=5, eventCountLimit=7)
    assert len(first.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 5
    assert 'rel="next"' in first.headers["link"]
    paged = await chain.events(perPage=5, eventCountLimit=7)
    assert len(paged) == 7
    assert len(await chain.events(perPage=5)) == 12
    assert len({e["eventID"] for e in await chain.events(perPage=3)}) == 12


async def test_a_captured_urn_is_found_by_its_digital_link_and_the_other_way_round(chain: Desk):
    by_link = await chain.ids(MATCH_anyEPC="https://id.gs1.org/01/06901234222227/21/1")
    by_urn = await chain.ids(MATCH_anyEPC=ITEMS[0])
    assert by_link == by_urn
    assert len(by_link) == 2
    assert await chain.ids(MATCH_anyEPC=CONVERTED) == await chain.ids(MATCH_anyEPC=CONVERTED_LINK)
    response = await chain.client.get(
        "/epcis/epcs/https%3A%2F%2Fid.gs1.org%2F00%2F069012340000000030/events",
        headers=chain.admin,
    )
    assert len(response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 5


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"EQ_colour": "red"}, "EQ_colour"),
        ({"EQ_action": "SELL"}, "EQ_action"),
        ({"GE_eventTime": "yesterday"}, "GE_eventTime"),
        ({"GE_eventTime": "2026-01-01"}, "GE_eventTime"),
        ({"perPage": "0"}, "perPage"),
        ({"eventCountLimit": "9" * 50}, "eventCountLimit"),
        ({"orderBy": "colour"}, "orderBy"),
        ({"orderDirection": "UP"}, "orderDirection"),
        ({"nextPageToken": "not-a-token"}, "nextPageToken"),
        ({"MATCH_epc": "urn:epc:id:sgtin:1.2.3"}, "MATCH_epc"),
        ({"MATCH_epc": "a||b"}, "MATCH_epc"),
        ({"includeCorrectedEvents": "maybe"}, "includeCorrectedEvents"),
    ],
)
async def test_bad_parameters_answer_the_standards_query_parameter_exception(
    chain: Desk, params, parameter
):
    body = problem(await chain.query(**params), 400)
    assert body["type"] == "epcisException:QueryParameterException"
    assert body["errors"][0]["parameter"] == parameter


async def test_a_parameter_given_twice_and_too_many_results(chain: Desk):
    twice = await chain.client.get(
        "/epcis/events?EQ_action=ADD&EQ_action=DELETE", headers=chain.admin
    )
    assert problem(twice, 400)["errors"][0]["parameter"] == "EQ_action"
    too_many = problem(await chain.query(maxEventCount="2", EQ_type="AggregationEvent"), 413)
    assert too_many["type"] == "epcisException:QueryTooLargeException"
    assert await count(chain, maxEventCount="4", EQ_type="AggregationEvent") == 4


async def test_each_caller_sees_the_events_that_concern_it(chain: Desk):
    assert await count(chain, as_=chain.producer) == 12  # the retailer's are about its goods
    assert await count(chain, as_=chain.retailer) == 5  # named its parties, places or captured
    assert await count(chain, as_=chain.outsider) == 0
    assert await count(chain, as_=chain.regulator) == 12
    assert await count(chain, as_=chain.other_regulator) == 0
    problem(await chain.client.get("/epcis/events"), 401)
    [hidden] = await chain.ids(as_=chain.admin, EQ_bizStep="repairing")
    path = f"/epcis/events/{quote(hidden, safe='')}"
    problem(await chain.client.get(path, headers=chain.retailer), 404)
    assert (await chain.client.get(path, headers=chain.producer)).status_code == 200
