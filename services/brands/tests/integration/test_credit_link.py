"""Brands, credit and the gateway's read model running together on one topic namespace,
through the real broker: a holder that credit lists has its awards suspended within seconds,
announced by `award.suspended` and shown suspended on its profile; a regulator's confirmation
then revokes them, and the listed enterprise cannot apply again. A serious accident credit no
longer scores still excludes for five years. Credit's events reach the `brands.credit` group."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit_app
from qgov_gateway import SERVICE as GATEWAY
from qgov_gateway.main import GatewaySettings
from qgov_gateway.main import create_app as create_gateway_app
from qgov_shared.testing.problems import problem
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for

from .conftest import APPLICANT, KEYS, TODAY, Desk, open_desk
from .credit_feed import record_added

FRONTRUNNER = "quality_frontrunner"


@dataclass
class Platform:
    desk: Desk
    credit: RunningService
    gateway: RunningService

    async def profile(self) -> dict:
        response = await self.gateway.client.get(f"/api/v1/enterprises/{APPLICANT}/profile")
        return response.json() if response.status_code == 200 else {"awards": []}


@contextlib.asynccontextmanager
async def platform(stack: TestStack, clock) -> AsyncIterator[Platform]:
    """This service, credit and the gateway on one topic namespace, all consuming."""
    async with open_desk(stack, clock) as desk:
        credit_app = lambda s: create_credit_app(s, clock=clock)  # noqa: E731
        gateway_app = lambda s: create_gateway_app(s, clock=clock)  # noqa: E731
        prefix = {"kafka_topic_prefix": desk.svc.settings.kafka_topic_prefix}
        async with (
            run_service(stack, CREDIT, credit_app, CreditSettings, **prefix) as credit,
            run_service(
                stack, GATEWAY, gateway_app, GatewaySettings, run_webhook_dispatcher=False, **prefix
            ) as gateway,
        ):
            credit.app.state.token_verifier = KEYS.verifier()
            for service in (desk.svc, credit, gateway):
                await service.consumers_assigned()
            yield Platform(desk, credit, gateway)


async def test_an_accident_credit_no_longer_scores_still_excludes_for_five_years(
    stack: TestStack, clock
):
    async with platform(stack, clock) as running:
        desk, credit = running.desk, running.credit
        four_years_ago = desk.today - timedelta(days=4 * 365)
        accident = {
            "credit_code": APPLICANT,
            "kind": "environmental_accident",
            "severity": "serious",
            "occurred_on": four_years_ago.isoformat(),
            "note": "突发环境事件（较大）",
        }
        entered = await credit.client.post(
            "/api/v1/credit/records", json=accident, headers=desk.regulator
        )
        assert entered.status_code == 201, entered.text
        file = await credit.client.get(
            f"/api/v1/credit/enterprises/{APPLICANT}", headers=desk.regulator
        )
        assert (file.json()["grade"], file.json()["reasons"]) == ("A", [])  # no longer scored

        [consumer] = desk.svc.runtime.consumers

        async def learnt() -> bool:
            return consumer.stats.processed >= 1

        await wait_for(learnt, within=30, what="brands to learn of the record")
        refused = await desk.apply("china_quality_award")
        assert "serious environmental_accident" in problem(refused, 409)["detail"]
        await desk.applied(FRONTRUNNER)  # it looks back three years only


async def test_credit_listing_the_holder_suspends_its_award_and_a_confirmation_revokes_it(
    stack: TestStack, clock, contracts
):
    async with platform(stack, clock) as running:
        desk, credit = running.desk, running.credit
        application = await desk.walk(await desk.applied(FRONTRUNNER))
        [award] = (
            await desk.client.get("/api/v1/awards/holders", params={"programme": FRONTRUNNER})
        ).json()["items"]

        def counted(kind: str) -> Callable[[], Awaitable[bool]]:
            async def in_the_file() -> bool:
                file = await credit.client.get(
                    f"/api/v1/credit/enterprises/{APPLICANT}", headers=desk.regulator
                )
                kinds = [r["kind"] for r in file.json().get("records", [])]
                return file.status_code == 200 and kind in kinds

            return in_the_file

        # credit takes the grant in (and opens the file)
        await wait_for(counted("award_granted"), within=30, what="credit to count the grant")
        penalty = {
            "credit_code": APPLICANT,
            "kind": "serious_penalty",
            "occurred_on": desk.today.isoformat(),
            "note": "生产销售不合格产品，情节严重",
        }
        entered = await credit.client.post(
            "/api/v1/credit/records", json=penalty, headers=desk.regulator
        )
        assert entered.status_code == 201, entered.text

        async def suspended() -> bool:
            shown = await desk.client.get(f"/api/v1/awards/granted/{award['id']}")
            return shown.json()["status"] == "suspended"

        await wait_for(suspended, within=30, what="the holder's award to be suspended")
        [event] = await desk.events("qgov.brands.award.suspended.v1")
        assert (event["data"]["award_id"], event["data"]["reason"]) == (award["id"], "listed")
        contracts.check(event)
        await wait_for(counted("award_suspended"), within=30, what="credit to count it")

        async def shown_suspended() -> bool:
            awards = (await running.profile())["awards"]
            return [(a["award_id"], a["status"]) for a in awards] == [(award["id"], "suspended")]

        await wait_for(shown_suspended, within=30, what="the profile to show it suspended")
        again = await desk.apply("china_quality_award")
        assert "serious-violation list" in problem(again, 409)["detail"]
        revoked = await desk.client.post(
            f"/api/v1/awards/granted/{award['id']}/revocation",
            json={"ground": "listing_confirmed", "reasons": "确认列入严重违法失信名单"},
            headers=desk.regulator,
        )
        assert revoked.json()["status"] == "revoked", revoked.text
        assert application["credit_code"] == APPLICANT


async def test_the_credit_group_keeps_a_serious_record_it_reads_from_the_broker(
    stack: TestStack, clock
):
    async with open_desk(stack, clock) as desk:
        await desk.svc.consumers_assigned()
        [consumer] = desk.svc.runtime.consumers
        accident = record_added(APPLICANT, 41, "quality_accident", "serious", TODAY - timedelta(1))
        await desk.produce(accident, topic="qgov.credit")

        async def applied() -> bool:
            return consumer.stats.processed >= 1

        await wait_for(applied, what="the record to reach the brands.credit group")
        refused = await desk.apply("china_quality_award")
        assert "serious quality_accident" in problem(refused, 409)["detail"]
