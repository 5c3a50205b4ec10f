"""The draw on the real stack, checked by an implementation of the README's procedure written
here from scratch (hashlib and hmac only, none of the service's code): anyone holding the
published draw record and candidate list gets the same enterprises and inspectors."""

from __future__ import annotations

import hashlib
import hmac
import math
from fractions import Fraction

from .conftest import API, Bureau, codes, grade_changed, new_seed


def rerun(record: dict, candidates_text: str) -> dict[str, list[str]]:
    """The README's "Verifying a draw", step by step."""
    seed = record["seed"]
    assert hashlib.sha256(seed.encode()).hexdigest() == record["seed_hash"]
    assert hashlib.sha256(candidates_text.encode()).hexdigest() == record["candidates_hash"]
    lines = [line.split(",") for line in candidates_text.splitlines()]
    assert [code for code, _ in lines] == sorted(code for code, _ in lines)

    def mac(message: str) -> bytes:
        return hmac.new(seed.encode(), message.encode(), hashlib.sha256).digest()

    drawn = []
    for grade in "ABCD":
        members = [code for code, g in lines if g == grade]
        take = math.ceil(Fraction(record["ratios"].get(grade, "0")) * len(members))
        drawn += sorted(members, key=lambda code: (mac("enterprise:" + code), code))[:take]
    excluded = {(e["badge_number"], e["credit_code"]) for e in record["exclusions"]}
    pool = sorted(record["inspector_pool"])
    n = len(pool)
    teams = {}
    for code in sorted(drawn):
        team, j = [], 0
        while len(team) < record["inspectors_per_check"]:
            x = int.from_bytes(mac(f"inspector:{code}:{j}")[:8], "big")
            j += 1
            if x >= 2**64 - 2**64 % n:
                continue
            badge = pool[x % n]
            if (badge, code) not in excluded and badge not in team:
                team.append(badge)
        teams[code] = team
    return teams


async def test_anyone_re_runs_the_draw_from_the_revealed_seed_and_the_published_list(
    bureau: Bureau,
):
    labs = await bureau.laboratories()
    await bureau.inspectors(6)
    makers = codes(60)
    await bureau.list_in_directory(makers)
    await bureau.apply(*(grade_changed(code, "B") for code in makers[:20]))
    await bureau.apply(*(grade_changed(code, "D") for code in makers[20:23]))
    seed = new_seed()
    campaign = await bureau.publish(seed, labs, ratios={"A": "0.1", "B": "0.25"})
    assert campaign["status"] == "published"
    public = await bureau.ok("GET", f"/campaigns/{campaign['id']}", headers={})
    assert public["seed_hash"] == hashlib.sha256(seed.encode()).hexdigest()
    assert (await bureau.client.get(f"{API}/campaigns/{campaign['id']}/draw")).status_code == 404

    drawn = await bureau.draw(campaign["id"], seed)

    record = await bureau.ok("GET", f"/campaigns/{campaign['id']}/draw", headers={})
    text = (await bureau.client.get(f"{API}/campaigns/{campaign['id']}/draw/candidates")).text
    teams = rerun(record, text)
    assert teams == {d["credit_code"]: d["inspectors"] for d in record["drawn"]}
    # A 4 of 37 (ceil 3.7), B 5 of 20, C none of 0, D all 3.
    grades = [d["grade"] for d in record["drawn"]]
    assert (grades.count("A"), grades.count("B"), grades.count("D")) == (4, 5, 3)
    assert record["candidate_count"] == 60
    assert drawn["status"] == "drawn"
    assert drawn["inspections"] == 12
    events = await bureau.events("inspection.drawn")
    assert {e["subject"] for e in events} == set(teams)
    assert {e["data"]["seed"] for e in events} == {seed}
    by_code = {e["subject"]: [i["badge_number"] for i in e["data"]["inspectors"]] for e in events}
    assert by_code == teams


async def test_another_seed_or_another_candidate_list_gives_another_draw(bureau: Bureau):
    labs = await bureau.laboratories()
    await bureau.inspectors(8)
    makers = codes(80)
    await bureau.list_in_directory(makers)

    async def drawn_with(seed: str) -> dict[str, list[str]]:
        campaign = await bureau.publish(seed, labs, ratios={"A": "0.2"})
        await bureau.draw(campaign["id"], seed)
        record = await bureau.ok("GET", f"/campaigns/{campaign['id']}/draw", headers={})
        return {d["credit_code"]: d["inspectors"] for d in record["drawn"]}, record

    seed = new_seed()
    first, first_record = await drawn_with(seed)
    second, _ = await drawn_with(new_seed())
    assert len(first) == len(second) == 16
    assert first != second
    await bureau.list_in_directory(codes(1, start=500))  # one more candidate
    third, third_record = await drawn_with(seed)
    assert third_record["candidates_hash"] != first_record["candidates_hash"]
    assert third != first


async def test_a_seed_other_than_the_committed_one_draws_nothing(bureau: Bureau):
    labs = await bureau.laboratories()
    await bureau.inspectors(3)
    await bureau.list_in_directory(codes(3))
    campaign = await bureau.publish(new_seed(), labs)
    response = await bureau.client.post(
        f"{API}/campaigns/{campaign['id']}/draw",
        json={"seed": new_seed()},
        headers=bureau.regulator,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/seed"
    assert await bureau.events("inspection.drawn") == []
    shown = await bureau.ok("GET", f"/campaigns/{campaign['id']}", headers={})
    assert shown["status"] == "published"
