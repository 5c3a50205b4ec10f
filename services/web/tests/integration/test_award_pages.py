"""Brands and awards through the pages: an enterprise registers a brand and applies for the
quality frontrunner award (a missing statement answered beside its field); the regulator
closes the application's first stages and assigns a reviewer; the reviewer, signed in, sees
it among its assigned ones and scores it (a score over a criterion's points refused beside
it); the regulator then sees the reviewer's total."""

from __future__ import annotations

import re

from ..conftest import REGULATOR, Platform
from .test_enterprise_registers import post_form, signed_in

PROGRAMME = "quality_frontrunner"
POINTS = {"indicator_levels": "45", "conformity_evidence": "25", "quality_management": "18"}


async def test_an_application_is_applied_for_reviewed_and_scored_through_the_pages(
    platform: Platform,
) -> None:
    firm = await platform.new_enterprise("韶关市领跑者家电有限公司")
    reviewer_id, reviewer_secret = await platform.new_client("reviewer", "王教授")
    admin = await platform.token(*await platform.new_client("admin", "平台管理员"))
    async with platform.api() as api:
        registered = await api.post(
            "/api/v1/awards/reviewers",
            json={
                "subject": reviewer_id,
                "name": "王教授",
                "organisation": "北京质量研究院",
                "region_code": "110101",
            },
            headers=admin,
        )
        assert registered.status_code == 201, registered.text

    async with platform.api() as client:
        await signed_in(client, firm.client_id, firm.client_secret)
        page = "/console/brands"
        brand = {
            "brand_name": "领跑",
            "owner_name": firm.name,
            "trademark_number": f"{firm.credit_code[-8:-1]}".replace("-", "0"),
            "nice_class": "11",
            "product_categories": "household_appliances",
            "founded_year": "2001",
        }
        made = await post_form(client, page, page, brand)
        assert made.status_code == 303, made.text
        shown = await client.get(page)
        assert "领跑" in shown.text
        brand_id = re.search(r'<option value="(\d+)">领跑</option>', shown.text).group(1)
        open_round = re.search(rf'<option value="({PROGRAMME} [^"]+)"', shown.text).group(1)
        application = {
            "programme_round": open_round,
            "enterprise_name": firm.name,
            "brand_id": brand_id,
            "statement": "",
        }
        unstated = await post_form(client, page, "/console/applications", application)
        assert unstated.status_code == 422
        assert 'id="apply-statement-error" hidden' not in unstated.text
        applied = await post_form(
            client, page, "/console/applications", {**application, "statement": "核心指标领先"}
        )
        assert applied.status_code == 303, applied.text
        application_page = applied.headers["location"]

    async with platform.api() as regulator:
        await signed_in(regulator, *REGULATOR)
        listed = await regulator.get("/console/reviews")
        assert f'href="{application_page}"' in listed.text
        for stage in ("application", "eligibility"):
            closed = await post_form(
                regulator,
                application_page,
                f"{application_page}/steps",
                {"stage": stage, "passed": "true", "reasons": "材料齐全，符合条件"},
            )
            assert closed.status_code == 303, closed.text
        at_scoring = await regulator.get(application_page)
        assert 'data-application="stage">评价' in at_scoring.text
        panel = re.search(r'<option value="(\d+)">王教授', at_scoring.text).group(1)
        assigned = await post_form(
            regulator, application_page, f"{application_page}/assignments", {"reviewer_id": panel}
        )
        assert assigned.status_code == 303, assigned.text

    async with platform.api() as expert:
        await signed_in(expert, reviewer_id, reviewer_secret)
        assert (await expert.get("/console")).headers["location"] == "/console/reviews"
        mine = await expert.get("/console/reviews")
        assert f'href="{application_page}"' in mine.text
        too_many = {f"score_{name}": points for name, points in POINTS.items()}
        too_many["score_quality_management"] = "21"  # its most is 20
        refused = await post_form(expert, application_page, f"{application_page}/scores", too_many)
        assert refused.status_code == 422
        assert 'id="score-score_quality_management-error" hidden' not in refused.text
        assert 'value="45"' in refused.text
        scores = {f"score_{name}": points for name, points in POINTS.items()}
        scored = await post_form(expert, application_page, f"{application_page}/scores", scores)
        assert scored.status_code == 303, scored.text

    async with platform.api() as regulator:
        await signed_in(regulator, *REGULATOR)
        seen = await regulator.get(application_page)
        assert re.search(rf'data-reviewer="{panel}">.*?<td>88</td>', seen.text)
        # A national programme's proposal is not a prefecture's to make: refused, and why is
        # shown above the form, the reasons typed kept.
        page = "/console/reviews"
        unnamed = await post_form(
            regulator, page, f"{page}/proposals", {"proposal_reasons": "按评分"}
        )
        assert unnamed.status_code == 422
        assert 'id="propose-programme_round-error" hidden' not in unnamed.text
        national = await post_form(
            regulator,
            page,
            f"{page}/proposals",
            {"programme_round": open_round, "proposal_reasons": "按评分"},
        )
        assert national.status_code == 403
        assert 'class="error-summary"' in national.text
        assert "按评分" in national.text
