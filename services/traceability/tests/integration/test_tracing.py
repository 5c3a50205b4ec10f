"""Forward and backward tracing across aggregation and transformation, bounded by depth and a
time window, answered as a graph with the events behind each edge; who may trace what."""

from __future__ import annotations

from typing import Any

import httpx

from qgov_shared.testing.problems import problem
from qgov_traceability.epcis.identifiers import canonical

from .conftest import Desk
from .supply_chain import (
    CASE_1,
    DOCK,
    ITEM_1_LINK,
    ITEMS,
    LOT,
    LOT_LINK,
    PALLET,
    RAW,
    RETAILER_PARTY,
    SHELF,
    STORE,
    STORE_2,
    at,
    capture_chain,
)


async def trace(desk: Desk, identifier: str, *, as_=None, **params: Any) -> httpx.Response:
    return await desk.client.get(
        "/api/v1/traceability/trace",
        params={"identifier": identifier, **params},
        headers=desk.regulator if as_ is None else as_,
    )


async def graph(desk: Desk, identifier: str, **params: Any) -> dict[str, Any]:
    response = await trace(desk, identifier, **params)
    assert response.status_code == 200, response.text
    return response.json()


def ids(found: dict[str, Any]) -> set[str]:
    return {node["id"] for node in found["nodes"]}


def c(*uris: str) -> set[str]:
    return {canonical(uri) for uri in uris}


async def test_forward_from_the_raw_lot_reaches_every_downstream_container_and_place(desk: Desk):
    await capture_chain(desk)

    found = await graph(desk, RAW)

    assert c(LOT, *ITEMS, CASE_1, PALLET, RETAILER_PARTY, STORE, SHELF, STORE_2, DOCK) <= ids(found)
    kinds = {node["id"]: node["kind"] for node in found["nodes"]}
    assert (kinds[canonical(PALLET)], kinds[canonical(LOT)]) == ("container", "lot")
    assert kinds[canonical(RETAILER_PARTY)] == "party"
    edge_kinds = {edge["kind"] for edge in found["edges"]}
    assert {
        "transformation_input",
        "transformation_output",
        "lot_member",
        "aggregation",
    } <= edge_kinds
    assert {"destination", "read_point", "biz_location"} <= edge_kinds
    assert all(edge["events"] for edge in found["edges"])


async def test_an_item_taken_out_of_the_pallet_does_not_travel_on_with_it(desk: Desk):
    await capture_chain(desk)

    first = ids(await graph(desk, ITEMS[0]))
    third = ids(await graph(desk, ITEMS[2]))

    assert c(CASE_1, PALLET, STORE, SHELF) <= first
    assert canonical(STORE_2) not in first  # the pallet moved on after case 1 was unpacked
    assert canonical(STORE_2) in third  # case 2 was still on it


async def test_backward_from_an_item_finds_its_lot_and_raw_material(desk: Desk):
    await capture_chain(desk)

    found = await graph(desk, ITEM_1_LINK, direction="backward")

    assert c(LOT, RAW) <= ids(found)
    assert canonical(PALLET) not in ids(found)  # containers are downstream of an item
    backward_from_pallet = ids(await graph(desk, PALLET, direction="backward"))
    assert c(CASE_1, *ITEMS, LOT, RAW) <= backward_from_pallet


async def test_depth_and_time_window_bound_the_trace(desk: Desk):
    await capture_chain(desk)

    shallow = await graph(desk, LOT_LINK, depth=1)
    assert {n["id"] for n in shallow["nodes"] if n["kind"] == "item"} == c(*ITEMS)
    assert canonical(CASE_1) not in ids(shallow)
    before_arrival = await graph(desk, LOT, until=at(6))
    assert canonical(PALLET) in ids(before_arrival)
    assert canonical(STORE) not in ids(before_arrival)  # received at hour 8
    assert canonical(RETAILER_PARTY) in ids(before_arrival)  # shipped to it at hour 5


async def test_enterprises_trace_their_own_products_only(desk: Desk):
    await capture_chain(desk)

    assert (await trace(desk, LOT, as_=desk.producer)).status_code == 200
    problem(await trace(desk, LOT, as_=desk.retailer), 404)
    problem(await trace(desk, LOT, as_=desk.outsider), 404)
    problem(await trace(desk, "urn:epc:id:sgtin:1.2.3"), 422)
    problem(await trace(desk, "urn:epc:id:sgtin:6901234.099999.1"), 404)  # never captured
    problem(await desk.client.get("/api/v1/traceability/trace?identifier=x"), 401)
