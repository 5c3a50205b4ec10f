"""The regulators' credit feed on the real database: a total, stable order read by cursor,
in pages and as Server-Sent Events, scoped to the caller's regions."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select, text

from qgov_gateway import handlers
from qgov_gateway.models import SigningKey
from qgov_shared.testing.clock import START
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import RunningService, TestStack, wait_for
from qgov_shared.testing.tokens import TestKeys, bearer

from .conftest import (
    KEYS,
    apply,
    at,
    demo_regulator,
    grade_changed,
    read_model_gateway,
    run_gateway,
)

REGULATOR = bearer(KEYS.mint("regulator", regions=["440200"]))
TWO_REGIONS = bearer(KEYS.mint("regulator", regions=["440200", "440203", "440100"]))
ADMIN = bearer(KEYS.mint("admin"))
FEED = "/api/v1/feeds/credit"


@pytest.fixture
async def gateway(stack: TestStack) -> AsyncIterator[RunningService]:
    async with read_model_gateway(stack, feed_poll_interval_s=0.05, feed_stream_max_s=1.0) as svc:
        yield svc


def changes(first: int, count: int, regions: tuple[str, ...] = ("440203", "440103")):
    """`count` grade changes of distinct enterprises, alternating between `regions`."""
    return [
        grade_changed(
            credit_code(n, regions[n % len(regions)]),
            ("A", 100),
            ("B" if n % 3 else "D", 80),
            at(n),
        )
        for n in range(first, first + count)
    ]


async def read_all(gateway: RunningService, headers: dict, **params) -> list[dict]:
    items, after = [], None
    while True:
        page = await gateway.client.get(
            FEED, params={**params, **({"after": after} if after else {})}, headers=headers
        )
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        if not body["items"]:
            assert body["next_cursor"] == after
            return items
        after = body["next_cursor"]


async def test_pages_give_every_change_once_in_order_while_changes_arrive(
    gateway: RunningService, contracts
) -> None:
    await apply(gateway, contracts, *changes(0, 120))
    seen, after = [], None
    for round_ in range(4):
        params = {"limit": 25, **({"after": after} if after else {})}
        page = (await gateway.client.get(FEED, params=params, headers=REGULATOR)).json()
        seen += page["items"]
        after = page["next_cursor"]
        await apply(gateway, contracts, *changes(1000 + 10 * round_, 10))  # more keep coming
    seen += await read_all_after(gateway, after)
    codes = [item["credit_code"] for item in seen]
    expected = [e.data["credit_code"] for e in changes(0, 120) if e.data["region_code"] == "440203"]
    expected += [
        e.data["credit_code"]
        for round_ in range(4)
        for e in changes(1000 + 10 * round_, 10)
        if e.data["region_code"] == "440203"
    ]
    assert codes == expected
    cursors = [int(item["cursor"]) for item in seen]
    assert cursors == sorted(set(cursors))
    assert {item["region_code"] for item in seen} == {"440203"}


async def read_all_after(gateway: RunningService, after: str) -> list[dict]:
    page = await gateway.client.get(FEED, params={"after": after}, headers=REGULATOR)
    return page.json()["items"]


async def test_filters_narrow_the_feed_and_overlapping_regions_never_repeat(
    gateway: RunningService, contracts
) -> None:
    await apply(gateway, contracts, *changes(0, 30, regions=("440203", "440103", "440204")))
    to_d = await read_all(gateway, REGULATOR, grade=["D"])
    assert len(to_d) == 10
    assert {item["grade"] for item in to_d} == {"D"}
    overlapping = await read_all(gateway, TWO_REGIONS)
    assert len(overlapping) == 30  # 440203 lies inside 440200: read once
    assert len({item["cursor"] for item in overlapping}) == 30
    assert len(await read_all(gateway, ADMIN)) == 30
    one_county = await read_all(gateway, REGULATOR, region="440204")
    assert {item["region_code"] for item in one_county} == {"440204"}
    [first, *_] = await read_all(gateway, ADMIN)
    assert set(first) == {
        "cursor", "credit_code", "region_code", "grade", "previous_grade", "score",
        "previous_score", "changed_at", "reasons",
    }  # fmt: skip


async def test_entries_commit_in_cursor_order(gateway: RunningService, contracts) -> None:
    """A change whose transaction began first but commits last must not get a smaller cursor
    than one a reader has already read past."""
    [slow_change, fast_change] = changes(0, 2, regions=("440203",))
    slow = gateway.runtime.unit_of_work()
    async with slow:
        await handlers.take_in([slow_change], slow)  # holds the feed lock until it commits
        fast_done = asyncio.create_task(apply(gateway, contracts, fast_change))
        await wait_for(
            lambda: _blocked_on_a_lock(gateway), within=10, what="the second change to wait"
        )
        assert not fast_done.done()
        assert await read_all(gateway, ADMIN) == []
        await slow.commit()
    await fast_done
    feed = await read_all(gateway, ADMIN)
    assert [item["credit_code"] for item in feed] == [
        slow_change.data["credit_code"],
        fast_change.data["credit_code"],
    ]


async def _blocked_on_a_lock(gateway: RunningService) -> bool:
    """Whether a transaction in the gateway's database waits for a lock another one holds."""
    query = text(
        "select count(*) from pg_stat_activity"
        " where datname = current_database() and wait_event_type = 'Lock'"
    )
    async with gateway.runtime.session_factory() as session:
        return await session.scalar(query) > 0


async def test_the_stream_resumes_after_last_event_id(gateway: RunningService, contracts) -> None:
    await apply(gateway, contracts, *changes(0, 6, regions=("440203",)))
    [_, second, *rest] = await read_all(gateway, REGULATOR)
    response = await gateway.client.get(
        f"{FEED}/stream", headers={**REGULATOR, "Last-Event-ID": second["cursor"]}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [block for block in response.text.split("\n\n") if block.startswith("id:")]
    parsed = [dict(line.split(": ", 1) for line in block.split("\n")) for block in events]
    assert [event["id"] for event in parsed] == [item["cursor"] for item in rest]
    assert {event["event"] for event in parsed} == {"credit.changed"}
    assert [json.loads(event["data"]) for event in parsed] == rest


async def test_the_feed_is_for_regulators_of_the_region(gateway: RunningService) -> None:
    assert (await gateway.client.get(FEED)).status_code == 401
    refused = await gateway.client.get(
        FEED, headers=bearer(KEYS.mint("enterprise", credit_code=credit_code(1, "440203")))
    )
    assert refused.status_code == 403
    elsewhere = await gateway.client.get(FEED, params={"region": "440100"}, headers=REGULATOR)
    assert elsewhere.status_code == 403
    stream = await gateway.client.get(
        f"{FEED}/stream", params={"region": "440100"}, headers=REGULATOR
    )
    assert stream.status_code == 403
    bad = await gateway.client.get(FEED, params={"after": "abc"}, headers=REGULATOR)
    assert bad.status_code == 422
    assert "after" in bad.text


async def test_forged_and_stale_tokens_are_refused(stack: TestStack) -> None:
    """With the gateway's own signing keys: only a token it signed, for its audience, in
    time, with a real signature, reads the feed."""
    async with run_gateway(
        stack, run_consumers=False, run_webhook_dispatcher=False, environment="development"
    ) as gateway:
        token = (await demo_regulator(gateway))["Authorization"].removeprefix("Bearer ")
        assert (await _feed_with(gateway, token)).status_code == 200

        async with gateway.runtime.session_factory() as session:
            key = (await session.scalars(select(SigningKey))).first()
        claims = jwt.decode(token, options={"verify_signature": False})
        header = {"kid": key.kid}

        def signed(**changes) -> str:
            return jwt.encode({**claims, **changes}, key.private_pem, "RS256", headers=header)

        forged = jwt.encode(claims, TestKeys().private_key, "RS256", headers=header)
        unsigned = _unsigned({"alg": "none", "typ": "JWT", "kid": key.kid}, claims)
        expired = signed(
            exp=_unix(START - timedelta(hours=1)), iat=_unix(START - timedelta(hours=2))
        )
        for refused in (forged, signed(aud="another-platform"), unsigned, expired):
            answer = await _feed_with(gateway, refused)
            assert answer.status_code == 401, answer.text
            assert answer.headers["www-authenticate"].startswith("Bearer")


def _unix(moment) -> int:
    return int(moment.timestamp())


async def _feed_with(gateway: RunningService, token: str):
    return await gateway.client.get(FEED, headers={"Authorization": f"Bearer {token}"})


def _unsigned(header: dict, claims: dict) -> str:
    def part(value: dict) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part(header)}.{part(claims)}."
