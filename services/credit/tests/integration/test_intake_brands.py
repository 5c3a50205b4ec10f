"""Awards from the brands service become credit records through the `credit.intake` group: a
grant (award_granted) and a revocation (award_revoked) count towards the enterprise's score
on the day each happened; the other award events are logged and score nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from qgov_brands import SERVICE as BRANDS
from qgov_brands.main import BrandsSettings
from qgov_brands.main import create_app as create_brands_app
from qgov_brands.policy import load_policy
from qgov_brands.programme import Round
from qgov_credit.models import IntakeEntry
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, TODAY, Office, listening_office

FRONTRUNNER = "quality_frontrunner"


def brands_policy():
    """The shipped programmes, with one round open around TODAY."""
    policy = load_policy()
    window = {"now": Round("now", TODAY - timedelta(days=5), TODAY + timedelta(days=5))}
    programmes = {code: replace(p, rounds=window) for code, p in policy.programmes.items()}
    return replace(policy, programmes=programmes)


async def test_an_award_granted_then_revoked_counts_in_the_credit_file(
    stack: TestStack, clock: TestClock, contracts
):
    enterprise = credit_code(31)
    firm = bearer(KEYS.mint("enterprise", sub="firm", credit_code=enterprise))
    regulator = bearer(KEYS.mint("regulator", sub="reg", regions=["440200"]))
    policy = brands_policy()
    brands_app = lambda s: create_brands_app(s, clock=clock, policy=policy)  # noqa: E731
    async with run_service(stack, BRANDS, brands_app, BrandsSettings) as brands:
        brands.app.state.token_verifier = KEYS.verifier()
        prefix = brands.settings.kafka_topic_prefix
        async with listening_office(stack, clock, prefix=prefix) as credit:
            client = brands.client
            brand = await client.post(
                "/api/v1/brands",
                json={
                    "name": "丹霞红茶",
                    "owner_name": "韶关某茶业有限公司",
                    "trademark_number": "20261101",
                    "nice_class": 30,
                    "product_categories": ["茶叶"],
                    "founded_year": 1990,
                },
                headers=firm,
            )
            applied = await client.post(
                "/api/v1/awards/applications",
                json={
                    "programme": FRONTRUNNER,
                    "round": "now",
                    "enterprise_name": "韶关某茶业有限公司",
                    "brand_id": brand.json()["id"],
                    "statement": "团体标准核心指标领先",
                },
                headers=firm,
            )
            path = f"/api/v1/awards/applications/{applied.json()['id']}"
            admin = bearer(KEYS.mint("admin", sub="admin"))
            points = {
                k: w * 9 // 10 for k, w in policy.programmes[FRONTRUNNER].review.weights.items()
            }

            async def close(stage: str) -> None:
                step = {"stage": stage, "passed": True, "reasons": "审查通过"}
                response = await client.post(f"{path}/steps", json=step, headers=regulator)
                assert response.status_code == 200, f"{stage}: {response.text}"

            await close("application")
            await close("eligibility")
            for n in range(3):  # three experts score the assessment
                expert = {
                    "subject": f"expert-{n}",
                    "name": f"专家{n}",
                    "organisation": "中国标准化研究院",
                    "region_code": "110000",
                }
                made = await client.post("/api/v1/awards/reviewers", json=expert, headers=admin)
                assignment = {"reviewer_id": made.json()["id"]}
                await client.post(f"{path}/assignments", json=assignment, headers=regulator)
                reviewer = bearer(KEYS.mint("reviewer", sub=f"expert-{n}"))
                await client.post(f"{path}/scores", json={"scores": points}, headers=reviewer)
            await close("assessment")
            clock.today(TODAY + timedelta(days=11))  # the ten-day public notice has ended
            await close("public_notice")
            await close("certification")
            granted_on = clock().date()
            [award] = (
                await client.get("/api/v1/awards/holders", params={"programme": FRONTRUNNER})
            ).json()["items"]
            clock.today(TODAY + timedelta(days=20))
            revoked = await client.post(
                f"/api/v1/awards/granted/{award['id']}/revocation",
                json={"ground": "fraud", "reasons": "申报材料弄虚作假"},
                headers=regulator,
            )
            assert revoked.status_code == 200, revoked.text

            async def both_counted() -> bool:
                file = await credit.file(enterprise)
                return file.status_code == 200 and len(file.json()["records"]) == 2

            await wait_for(both_counted, what="the grant and the revocation in the credit file")
            shown = await credit.file_ok(enterprise)
            kinds = {r["kind"]: date.fromisoformat(r["effective_on"]) for r in shown["records"]}
            assert kinds == {"award_granted": granted_on, "award_revoked": clock().date()}
            assert (shown["name"], shown["score"], shown["grade"]) == (
                "韶关某茶业有限公司",
                95,
                "A",
            )
            outcomes = await _outcomes(credit)
            assert outcomes["qgov.brands.award.granted.v1"] == "recorded"
            assert outcomes["qgov.brands.award.applied.v1"] == "no_rule"
            for change in await credit.grade_changes(enterprise):
                contracts.check(change)


async def _outcomes(credit: Office) -> dict[str, str]:
    async with credit.svc.runtime.session_factory() as session:
        rows = await session.scalars(select(IntakeEntry))
        return {row.event_type: row.outcome for row in rows}
