"""An award after its grant: its holder's listing suspends it and a delisting reinstates it; a
regulator revokes it on the listing's confirmation or on fraud; a time-honoured brand's
re-review renews it or ends it. The brand's award history keeps every one of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from qgov_brands.programme import Round
from qgov_shared.testing.problems import pointers, problem

from .conftest import APPLICANT, CLOSES, OTHER, ROUND, Desk, open_desk, policy_for_tests
from .credit_feed import delisted, listed

FRONTRUNNER = "quality_frontrunner"
HONOURED = "time_honoured_brand"
LATER = "later"


async def granted(desk: Desk, programme: str = FRONTRUNNER, code: str = APPLICANT, **changes):
    application = await desk.walk(await desk.applied(programme, code, **changes))
    assert application["status"] == "granted", application
    [award] = [
        a
        for a in (
            await desk.client.get("/api/v1/awards/holders", params={"programme": programme})
        ).json()["items"]
        if a["application_id"] == application["id"]
    ]
    return application, award


async def shown(desk: Desk, award_id: int) -> dict:
    return (await desk.client.get(f"/api/v1/awards/granted/{award_id}")).json()


async def test_a_listing_suspends_the_holders_awards_and_a_delisting_reinstates_them(
    desk: Desk, contracts
):
    _, award = await granted(desk)
    _, others = await granted(desk, code=OTHER)
    listed_on = desk.today

    await desk.credit(listed(APPLICANT, listed_on))

    suspended = await shown(desk, award["id"])
    assert (suspended["status"], suspended["suspended_on"]) == ("suspended", listed_on.isoformat())
    assert (await shown(desk, others["id"]))["status"] == "granted"
    holders = await desk.client.get("/api/v1/awards/holders", params={"programme": FRONTRUNNER})
    assert [a["id"] for a in holders.json()["items"]] == [others["id"]]
    [event] = await desk.events("qgov.brands.award.suspended.v1")
    assert (event["subject"], event["data"]["award_id"]) == (APPLICANT, award["id"])
    assert event["data"]["listed_on"] == listed_on.isoformat()
    contracts.check(event)

    desk.clock.today(listed_on + timedelta(days=400))
    await desk.credit(delisted(APPLICANT, listed_on, desk.today))

    reinstated = await shown(desk, award["id"])
    assert (reinstated["status"], reinstated["suspended_on"]) == ("granted", None)
    assert [h["action"] for h in reinstated["history"]] == ["granted", "suspended", "reinstated"]
    [back] = await desk.events("qgov.brands.award.reinstated.v1")
    contracts.check(back)


async def test_a_regulator_revokes_a_suspended_award_on_its_listing_or_any_on_fraud(
    desk: Desk, contracts
):
    _, award = await granted(desk)
    _, honest = await granted(desk, code=OTHER)
    path = f"/api/v1/awards/granted/{award['id']}/revocation"
    confirm = {"ground": "listing_confirmed", "reasons": "确认列入严重违法失信名单"}

    not_suspended = await desk.client.post(path, json=confirm, headers=desk.regulator)
    assert pointers(problem(not_suspended, 422)) == ["#/ground"]
    await desk.credit(listed(APPLICANT))
    elsewhere = await desk.client.post(path, json=confirm, headers=desk.other_regulator)
    problem(elsewhere, 404)
    revoked = await desk.client.post(path, json=confirm, headers=desk.regulator)

    assert (revoked.json()["status"], revoked.json()["revocation_ground"]) == (
        "revoked",
        "listing_confirmed",
    ), revoked.text
    problem(await desk.client.post(path, json=confirm, headers=desk.regulator), 409)
    fraud = await desk.client.post(
        f"/api/v1/awards/granted/{honest['id']}/revocation",
        json={"ground": "fraud", "reasons": "申报材料弄虚作假"},
        headers=desk.regulator,
    )
    assert fraud.json()["status"] == "revoked"
    grounds = [e["data"]["ground"] for e in await desk.events("qgov.brands.award.revoked.v1")]
    assert grounds == ["listing_confirmed", "fraud"]
    for event in await desk.events("qgov.brands.award.revoked.v1"):
        contracts.check(event)


async def test_a_re_review_renews_a_time_honoured_brand_or_ends_it(stack, clock, contracts):
    policy = policy_for_tests()
    honoured = policy.programmes[HONOURED]
    later = Round(LATER, CLOSES + timedelta(days=30), CLOSES + timedelta(days=60))
    honoured = replace(honoured, rounds={**honoured.rounds, LATER: later})
    policy = replace(policy, programmes={**policy.programmes, HONOURED: honoured})
    async with open_desk(stack, clock, policy, run_consumers=False) as desk:
        kept, lost = await desk.brand(APPLICANT), await desk.brand(APPLICANT)
        _, renewed = await granted(desk, HONOURED, brand_id=kept["id"])
        _, ended = await granted(desk, HONOURED, brand_id=lost["id"])
        clock.today(later.opens_on)

        passed = await desk.walk(
            await desk.applied(HONOURED, brand_id=kept["id"], renewal_of=renewed["id"], round=LATER)
        )
        failed = await desk.stepped(
            await desk.applied(HONOURED, brand_id=lost["id"], renewal_of=ended["id"], round=LATER),
            passed=False,
            reasons="复核不合格：经营中断",
        )

        assert (passed["status"], failed["status"]) == ("granted", "rejected")
        assert (await shown(desk, renewed["id"]))["status"] == "renewed"
        exit_ = await shown(desk, ended["id"])
        assert (exit_["status"], exit_["revocation_ground"]) == ("revoked", "re_review_failed")
        [revoked] = await desk.events("qgov.brands.award.revoked.v1")
        assert revoked["data"]["award_id"] == ended["id"]
        contracts.check(revoked)
        holders = await desk.client.get("/api/v1/awards/holders", params={"programme": HONOURED})
        [standing] = holders.json()["items"]
        assert (standing["round"], standing["brand_id"]) == (LATER, kept["id"])
        twice = await desk.apply(
            HONOURED, brand_id=kept["id"], renewal_of=renewed["id"], round=LATER
        )
        assert pointers(problem(twice, 422)) == ["#/renewal_of"]  # renewed: not standing


async def test_a_brands_award_history_lists_every_award_it_was_granted(desk: Desk):
    brand = await desk.brand(APPLICANT)
    _, frontrunner = await granted(desk, brand_id=brand["id"])
    _, indication = await granted(desk, "geographical_indication", brand_id=brand["id"])

    history = await desk.client.get(f"/api/v1/brands/{brand['id']}/awards")

    assert [a["id"] for a in history.json()["items"]] == [frontrunner["id"], indication["id"]]
    assert {a["round"] for a in history.json()["items"]} == {ROUND}
    problem(await desk.client.get("/api/v1/brands/999999/awards"), 404)
