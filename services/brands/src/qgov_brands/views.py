"""Turning rows into what each kind of caller may see."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from qgov_brands.models import Application, Award, Brand, BrandTransfer
from qgov_brands.policy import Policy
from qgov_brands.programme import Programme
from qgov_brands.schemas import (
    ApplicationDetail,
    ApplicationSummary,
    AssignmentView,
    AwardDetail,
    AwardHistoryView,
    AwardPublic,
    BrandDetail,
    BrandPublic,
    NoticePublic,
    ObjectionView,
    Ownership,
    ProgrammePublic,
    StepView,
)
from qgov_shared.http.pagination import Page

Public = TypeVar("Public", bound=BaseModel)


def page(rows: Page, model: type[Public]) -> Page[Public]:
    return Page[model](
        items=[model.model_validate(row) for row in rows.items], next_cursor=rows.next_cursor
    )


def brand_detail(brand: Brand, transfers: list[BrandTransfer]) -> BrandDetail:
    """The owners in order: the one who registered it, then each receiver of a transfer."""
    first = (
        Ownership(
            credit_code=transfers[0].from_credit_code,
            name=transfers[0].from_name,
            since=brand.registered_at,
        )
        if transfers
        else Ownership(
            credit_code=brand.credit_code, name=brand.owner_name, since=brand.registered_at
        )
    )
    later = [
        Ownership(credit_code=t.to_credit_code, name=t.to_name, since=t.decided_at)
        for t in transfers
    ]
    return BrandDetail(**BrandPublic.model_validate(brand).model_dump(), owners=[first, *later])


def application_detail(
    row: Application,
    steps: list[Any],
    objections: list[Any],
    assignments: list[Any],
) -> ApplicationDetail:
    return ApplicationDetail(
        **ApplicationSummary.model_validate(row).model_dump(),
        region_code=row.region_code,
        enterprise_group=row.enterprise_group,
        renewal_of=row.renewal_of,
        statement=row.statement,
        policy_version=row.policy_version,
        decision_reasons=row.decision_reasons,
        steps=[StepView.model_validate(step) for step in steps],
        reviewers=[
            AssignmentView(
                reviewer_id=reviewer.id,
                name=reviewer.name,
                organisation=reviewer.organisation,
                assigned_at=assignment.assigned_at,
                total=total,
            )
            for assignment, reviewer, total in assignments
        ],
        objections=[ObjectionView.model_validate(objection) for objection in objections],
    )


def notice(row: Application, policy: Policy) -> NoticePublic:
    return NoticePublic(
        application_id=row.id,
        programme=row.programme,
        programme_name=policy.programmes[row.programme].name,
        round=row.round,
        stage=row.stage,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        brand_id=row.brand_id,
        tier=row.tier,
        notice_ends_on=row.notice_ends_on,
    )


def award_detail(award: Award, history: list[Any]) -> AwardDetail:
    return AwardDetail(
        **AwardPublic.model_validate(award).model_dump(),
        history=[AwardHistoryView.model_validate(entry) for entry in history],
    )


def programme(value: Programme) -> ProgrammePublic:
    rules = value.eligibility
    return ProgrammePublic.model_validate(
        {
            **{name: getattr(value, name) for name in ("code", "name", "level", "region_code")},
            "subject": value.subject,
            "rounds": [r.__dict__ for r in value.rounds.values()],
            "stages": [s.__dict__ for s in value.stages],
            "eligibility": {
                "exclusion": rules.exclusion.name if rules.exclusion else None,
                "exclusion_years": rules.exclusion_years,
                "refuse_listed": rules.refuse_listed,
                "refuse_grades": sorted(rules.refuse_grades),
                "min_brand_age_years": rules.min_brand_age_years,
                "requires": list(rules.requires),
            },
            "review": {**value.review.__dict__, "total": value.review.total},
            "quotas": value.quotas.__dict__ if value.quotas else None,
            "period_years": value.period_years,
            "validity_years": value.validity_years,
            "renewal": value.renewal,
            "basis": value.basis,
        }
    )
