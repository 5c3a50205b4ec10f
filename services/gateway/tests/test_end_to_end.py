"""The platform end to end, on the real PostgreSQL and broker, every service behind the
gateway over real HTTP: a citizen's complaint reaches the enterprise's profile; a regulator's
record changes the grade, which reaches the credit feed, its SSE stream and a signed webhook;
tenants and regions stay apart; and a stopped service fails alone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from qgov_complaints import SERVICE as COMPLAINTS
from qgov_complaints.main import ComplaintsSettings
from qgov_complaints.main import create_app as create_complaints
from qgov_credit import SERVICE as CREDIT
from qgov_credit.main import CreditSettings
from qgov_credit.main import create_app as create_credit
from qgov_gateway import accounts
from qgov_shared.testing.clock import CHINA, TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer

from .conftest import run_gateway, verified_batch, webhook_receiver

RESPONDENT = credit_code(1, "440203")  # in 韶关, the demo regulator's region
COMPETITOR = credit_code(2, "440203")
COMPLAINT = {
    "complainant": {"name": "张三", "phone": "13812345678", "address": "广东省韶关市武江区某路1号"},
    "respondent": {"name": "韶关某电器有限公司", "credit_code": RESPONDENT},
    "request": "退货退款",
    "facts": "电饭煲买来三天就无法加热",
    "category": "electronics",
    "region_code": "440203",
}


@dataclass
class Platform:
    gateway: RunningService
    credit_server: HttpServer
    clock: TestClock

    def today(self) -> str:
        """The date in China, where the records happen."""
        return self.clock().astimezone(CHINA).date().isoformat()

    async def token(self, client_id: str, secret: str) -> dict[str, str]:
        form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
        response = await self.gateway.client.post("/oauth/token", data=form)
        assert response.status_code == 200, response.text
        return bearer(response.json()["access_token"])

    async def onboard(self, code: str, name: str) -> dict[str, str]:
        response = await self.gateway.client.post(
            "/api/v1/enterprises", json={"credit_code": code, "name": name}
        )
        assert response.status_code == 201, response.text
        credentials = response.json()
        return await self.token(credentials["client_id"], credentials["client_secret"])

    async def regulator_of(self, region_code: str) -> dict[str, str]:
        async with self.gateway.runtime.session_factory() as session:
            client_id, secret = await accounts.create_client(
                session,
                self.clock(),
                role="regulator",
                name=f"监管人员（{region_code}）",
                regions=[region_code],
            )
            await session.commit()
        return await self.token(client_id, secret)


@pytest.fixture
async def platform(stack: TestStack, clock: TestClock) -> AsyncIterator[Platform]:
    """Every service on one test clock."""
    async with (
        run_service(
            stack, COMPLAINTS, lambda s: create_complaints(s, clock=clock), ComplaintsSettings
        ) as complaints,
        run_service(
            stack,
            CREDIT,
            lambda s: create_credit(s, clock=clock),
            CreditSettings,
            kafka_topic_prefix=complaints.settings.kafka_topic_prefix,
        ) as credit,
        HttpServer(complaints.app) as complaints_server,
        HttpServer(credit.app) as credit_server,
        run_gateway(
            stack,
            clock,
            environment="development",
            kafka_topic_prefix=complaints.settings.kafka_topic_prefix,
            upstream_urls={"complaints": complaints_server.url, "credit": credit_server.url},
            feed_poll_interval_s=0.05,
            feed_stream_max_s=1.0,
            webhook_poll_interval_s=0.05,
        ) as gateway,
    ):
        # The services trust the gateway's tokens (through its JWKS in production).
        for service in (complaints, credit):
            service.app.state.token_verifier = gateway.app.state.dependencies.token_verifier
        for service in (complaints, credit, gateway):
            await service.consumers_assigned()
        yield Platform(gateway, credit_server, clock)


async def test_a_complaint_and_a_regulators_record_reach_profile_feed_stream_and_webhook(
    platform: Platform,
) -> None:
    client = platform.gateway.client
    regulator = await platform.token("demo-regulator", "demo-secret")
    profile_path = f"/api/v1/enterprises/{RESPONDENT}/profile"
    async with webhook_receiver() as receiver:
        subscribed = await client.post(
            "/api/v1/feeds/credit/webhooks", json={"url": receiver.url}, headers=regulator
        )
        assert subscribed.status_code == 201, subscribed.text
        secret = subscribed.json()["secret"]

        filed = await client.post("/api/v1/complaints", json=COMPLAINT)  # anonymous citizen
        assert filed.status_code == 201, filed.text

        async def in_profile() -> bool:
            response = await client.get(profile_path)
            return response.status_code == 200 and (
                response.json()["complaints"]["complaints_received"] == 1
            )

        await wait_for(in_profile, within=30, what="the complaint in the profile")

        record = {
            "credit_code": RESPONDENT,
            "kind": "penalty",
            "severity": "general",
            "occurred_on": platform.today(),
            "note": "抽查不合格后行政处罚",
        }
        entered = await client.post("/api/v1/credit/records", json=record, headers=regulator)
        assert entered.status_code == 201, entered.text

        async def in_feed() -> bool:
            page = await client.get("/api/v1/feeds/credit", headers=regulator)
            return bool(page.json()["items"])

        await wait_for(in_feed, within=30, what="the grade change in the feed")
        [change] = (await client.get("/api/v1/feeds/credit", headers=regulator)).json()["items"]
        assert (change["credit_code"], change["previous_grade"], change["score"]) == (
            RESPONDENT,
            "A",
            85,
        )
        assert [reason["kind"] for reason in change["reasons"]] == ["penalty"]

        profile = (await client.get(profile_path)).json()
        assert (profile["credit"]["grade"], profile["credit"]["score"]) == (change["grade"], 85)
        assert profile["name"] == "韶关某电器有限公司"

        stream = await client.get("/api/v1/feeds/credit/stream", headers=regulator)
        [streamed] = [block for block in stream.text.split("\n\n") if block.startswith("id:")]
        assert streamed.startswith(f"id: {change['cursor']}\nevent: credit.changed\n")

        async def delivered() -> bool:
            return bool(receiver.acknowledged)

        await wait_for(delivered, within=30, what="the webhook delivery")
    [(headers, body)] = receiver.received
    assert verified_batch(secret, headers, body, platform.clock())["items"] == [change]
    assert json.loads(streamed.split("data: ", 1)[1]) == change


async def test_tenants_and_regions_stay_apart(platform: Platform) -> None:
    client = platform.gateway.client
    demo = await platform.token("demo-regulator", "demo-secret")
    filed = await client.post("/api/v1/complaints", json=COMPLAINT)
    assert filed.status_code == 201
    [submission] = (await client.get("/api/v1/submissions", headers=demo)).json()["items"]

    respondent = await platform.onboard(RESPONDENT, "韶关某电器有限公司")
    competitor = await platform.onboard(COMPETITOR, "韶关另一电器有限公司")
    guangzhou = await platform.regulator_of("440100")
    own = f"/api/v1/enterprise/complaints/{submission['id']}"
    assert (await client.get(own, headers=respondent)).status_code == 200
    # What another tenant may not know exists is not found; what it may know of is forbidden.
    assert (await client.get(own, headers=competitor)).status_code == 404
    assert (
        await client.get(f"/api/v1/submissions/{submission['id']}", headers=guangzhou)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/credit/enterprises/{RESPONDENT}", headers=competitor)
    ).status_code == 404
    assert (await client.get("/api/v1/feeds/credit", headers=competitor)).status_code == 403
    region = {"region": "440200"}
    assert (
        await client.get("/api/v1/feeds/credit", params=region, headers=guangzhou)
    ).status_code == 403
    assert (
        await client.get("/api/v1/governance/overview", params=region, headers=guangzhou)
    ).status_code == 403
    record = {
        "credit_code": RESPONDENT,
        "kind": "penalty",
        "severity": "general",
        "occurred_on": platform.today(),
    }
    assert (
        await client.post("/api/v1/credit/records", json=record, headers=guangzhou)
    ).status_code == 404
    suspension = f"/api/v1/enterprises/{RESPONDENT}/suspension"
    assert (await client.put(suspension, headers=guangzhou)).status_code == 404


async def test_a_stopped_service_fails_alone_while_the_profile_answers(platform: Platform) -> None:
    client = platform.gateway.client
    filed = await client.post("/api/v1/complaints", json=COMPLAINT)
    assert filed.status_code == 201

    async def in_profile() -> bool:
        return (await client.get(f"/api/v1/enterprises/{RESPONDENT}/profile")).status_code == 200

    await wait_for(in_profile, within=30, what="the profile")
    await platform.credit_server.stop()  # credit stops answering

    down = await client.get(f"/api/v1/credit/public/{RESPONDENT}")
    assert down.status_code == 503
    assert down.headers["content-type"] == "application/problem+json"
    assert down.json()["service"] == "credit"
    profile = await client.get(f"/api/v1/enterprises/{RESPONDENT}/profile")
    assert profile.status_code == 200
    assert profile.json()["complaints"]["complaints_received"] == 1
    assert {s["source"] for s in profile.json()["sources"]} == {"/qgov/complaints"}
    assert (await client.get("/open311/v2/services.json")).status_code == 200
