"""OWASP API7:2023, server side request forgery: an EPCIS subscription, made through the
gateway, may not name a receiver inside the platform's network or another scheme: each such
URL is refused naming `dest`, and none is stored; a public receiver is taken."""

from __future__ import annotations

import httpx
import pytest

from qgov_shared.testing.problems import pointers, problem
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS
from .filings import RESPONDENT

FIRM = bearer(KEYS.mint("enterprise", sub="api7-firm", credit_code=RESPONDENT))
QUERY = "/epcis/queries/api7-shipments"
INSIDE = [
    "http://127.0.0.1:8000/hook",
    "http://127.1/hook",
    "http://2130706433/hook",
    "http://0x7f.0.0.1/hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
    "http://localhost/hook",
    "http://api.localhost/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.7/hook",
    "http://172.16.3.4/hook",
    "http://192.168.1.1/hook",
    "http://100.64.0.1/hook",
    "http://[fd00::1]/hook",
    "http://user:secret@example.com/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp://example.com/hook",
    "dict://127.0.0.1:11211/stats",
    "//example.com/hook",
]


def _subscription(dest: str) -> dict[str, str | bool]:
    return {"dest": dest, "signatureToken": "a-token-of-sixteen-or-more", "stream": True}


@pytest.fixture(scope="module")
async def named_query(platform) -> str:
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        made = await client.post(
            "/epcis/queries",
            json={"name": QUERY.rsplit("/", 1)[-1], "query": {"EQ_bizStep": "shipping"}},
            headers=FIRM,
        )
    assert made.status_code == 201, made.text
    return QUERY


@pytest.mark.parametrize("dest", INSIDE)
async def test_a_receiver_inside_or_of_another_scheme_is_refused(platform, named_query, dest):
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        answer = await client.post(
            f"{named_query}/subscriptions", json=_subscription(dest), headers=FIRM
        )
    assert pointers(problem(answer, 422)) == ["#/dest"]


async def test_a_public_receiver_is_taken_and_the_refused_were_not_stored(platform, named_query):
    async with httpx.AsyncClient(base_url=platform.url, timeout=30) as client:
        taken = await client.post(
            f"{named_query}/subscriptions",
            json=_subscription("https://receiver.example.com/epcis"),
            headers=FIRM,
        )
        listed = await client.get(f"{named_query}/subscriptions", headers=FIRM)
    assert taken.status_code == 201, taken.text
    assert [item["dest"] for item in listed.json()["items"]] == [
        "https://receiver.example.com/epcis"
    ]
