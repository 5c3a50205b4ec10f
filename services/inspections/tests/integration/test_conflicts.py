"""The conflict rules on the real stack: an inspector who declared a conflict with an
enterprise is never drawn for it, nobody inspects the same enterprise in two consecutive
campaigns, both show in the published exclusions, and a draw that cannot keep them is refused
and changes nothing."""

from __future__ import annotations

from .conftest import API, Bureau, codes, new_seed


async def _drawn(bureau: Bureau, labs: list[int]) -> dict[str, list[str]]:
    seed = new_seed()
    campaign = await bureau.publish(seed, labs, ratios={"A": "1"})
    await bureau.draw(campaign["id"], seed)
    record = await bureau.ok("GET", f"/campaigns/{campaign['id']}/draw", headers={})
    return {d["credit_code"]: d["inspectors"] for d in record["drawn"]}, record


async def test_no_draw_sends_an_inspector_to_a_conflict_or_the_same_enterprise_twice_running(
    bureau: Bureau,
):
    labs = await bureau.laboratories()
    badges = await bureau.inspectors(6)
    makers = codes(4)
    await bureau.list_in_directory(makers)
    conflicted = sorted(badges)[0]
    body = {"credit_code": makers[0], "reason": "配偶在该企业任职"}
    await bureau.ok("POST", f"/inspectors/{badges[conflicted]}/conflicts", json=body, status=201)

    first, record = await _drawn(bureau, labs)
    assert conflicted not in first[makers[0]]
    assert {"badge_number": conflicted, "credit_code": makers[0]} in record["exclusions"]
    second, record = await _drawn(bureau, labs)
    for code in makers:
        assert not set(second[code]) & set(first[code])
        for badge in first[code]:
            assert {"badge_number": badge, "credit_code": code} in record["exclusions"]
    assert conflicted not in second[makers[0]]
    third, _ = await _drawn(bureau, labs)
    for code in makers:
        assert not set(third[code]) & set(second[code])


async def test_a_draw_that_cannot_keep_the_rules_is_refused_and_changes_nothing(bureau: Bureau):
    labs = await bureau.laboratories()
    await bureau.inspectors(3)
    [maker] = codes(1)
    await bureau.list_in_directory([maker])
    first, _ = await _drawn(bureau, labs)
    assert len(first[maker]) == 2  # only one of the three may inspect it next time
    seed = new_seed()
    campaign = await bureau.publish(seed, labs, ratios={"A": "1"})
    response = await bureau.client.post(
        f"{API}/campaigns/{campaign['id']}/draw", json={"seed": seed}, headers=bureau.regulator
    )
    assert response.status_code == 409, response.text
    assert "1 inspectors" in response.json()["detail"]
    shown = await bureau.ok("GET", f"/campaigns/{campaign['id']}", headers={})
    assert (shown["status"], shown["inspections"]) == ("published", 0)
    assert len(await bureau.events("inspection.drawn")) == 1
