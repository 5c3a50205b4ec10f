"""A small supply chain, captured as a producer and a retailer would: a raw-material lot is
transformed into a product lot, whose items are commissioned (ILMD lot number), packed into
two cases and a pallet, shipped to the retailer, received; case 1 is unpacked and shelved,
then the pallet (with case 2 still in it) moves on to a second store.

Times are hours after `T0`, a fixed instant before the test clock's start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from qgov_shared.testing.clock import START

from .conftest import (
    RETAILER_PREFIX,
    Desk,
    document,
    lgtin,
    object_event,
    pgln,
    sgln,
    sgtin,
    sscc,
)

T0 = START - timedelta(days=30)
RAW = lgtin("011111", "RAW1")
LOT = lgtin("022222", "L2026")
LOT_LINK = "https://brand.example.cn/01/6901234222227/10/L2026"  # the same lot, as a Digital Link
ITEMS = [sgtin("022222", n) for n in (1, 2, 3, 4)]
ITEM_1_LINK = "https://id.gs1.org/01/06901234222227/21/1"
CASE_1, CASE_2, PALLET = sscc("0000000001"), sscc("0000000002"), sscc("0000000003")
FACTORY, DOCK = sgln("00001"), sgln("00002")
PRODUCER_PARTY = pgln("00000")
RETAILER_PARTY = pgln("00000", RETAILER_PREFIX)
STORE, SHELF, STORE_2 = (sgln(n, RETAILER_PREFIX) for n in ("00001", "00002", "00003"))
CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"example": "https://ns.example.com/epcis/"},
]


def at(hours: float) -> str:
    return (T0 + timedelta(hours=hours)).isoformat()


def aggregation(hours: float, parent: str, children: list[str], action: str = "ADD") -> dict:
    return {
        "type": "AggregationEvent",
        "eventTime": at(hours),
        "eventTimeZoneOffset": "+08:00",
        "parentID": parent,
        "childEPCs": children,
        "action": action,
        "bizStep": "packing" if action == "ADD" else "unpacking",
        "readPoint": {"id": FACTORY if action == "ADD" else STORE},
    }


@dataclass(frozen=True)
class Captured:
    producer_events: list[dict]
    retailer_events: list[dict]


def producer_events() -> list[dict]:
    return [
        {
            "type": "TransformationEvent",
            "eventTime": at(1),
            "eventTimeZoneOffset": "+08:00",
            "inputQuantityList": [{"epcClass": RAW, "quantity": 500, "uom": "KGM"}],
            "outputQuantityList": [{"epcClass": LOT, "quantity": 480, "uom": "KGM"}],
            "bizStep": "commissioning",
            "readPoint": {"id": FACTORY},
        },
        object_event(
            at(2),
            ITEMS,
            action="ADD",
            bizStep="commissioning",
            readPoint={"id": FACTORY},
            ilmd={"cbvmda:lotNumber": "L2026"},
        ),
        aggregation(3, CASE_1, ITEMS[:2]),
        aggregation(3, CASE_2, ITEMS[2:]),
        aggregation(4, PALLET, [CASE_1, CASE_2]),
        object_event(
            at(5),
            [PALLET],
            bizStep="shipping",
            disposition="in_transit",
            readPoint={"id": DOCK},
            sourceList=[{"type": "owning_party", "source": PRODUCER_PARTY}],
            destinationList=[{"type": "owning_party", "destination": RETAILER_PARTY}],
        ),
    ]


def retailer_events() -> list[dict]:
    return [
        object_event(
            at(8),
            [PALLET],
            bizStep="receiving",
            disposition="in_progress",
            readPoint={"id": STORE},
            bizLocation={"id": STORE},
            **{"example:temperature": "4"},
        ),
        aggregation(9, PALLET, [CASE_1], action="DELETE"),
        object_event(at(10), [CASE_1], bizStep="stocking", bizLocation={"id": SHELF}),
        object_event(
            at(12),
            [PALLET],
            bizStep="shipping",
            readPoint={"id": STORE},
            destinationList=[{"type": "location", "destination": STORE_2}],
        ),
    ]


async def capture_chain(desk: Desk) -> Captured:
    """Register both parties' prefixes, then capture the chain as each of them."""
    await desk.register_parties()
    made, sold = producer_events(), retailer_events()
    await desk.captured(document(*made, context=CONTEXT), as_=desk.producer)
    await desk.captured(document(*sold, context=CONTEXT), as_=desk.retailer)
    return Captured(made, sold)
