"""Rows into what the API shows."""

from __future__ import annotations

from typing import Any

from qgov_standards.documents import bounds_of
from qgov_standards.floor import Failure, FlagReason
from qgov_standards.models import (
    CatalogueStandard,
    Check,
    Declaration,
    DeclarationVersion,
    Flag,
    LimitIndicator,
    Ranking,
    RankingEntry,
    RankingPlan,
)
from qgov_standards.numbers import Kind
from qgov_standards.policy import Policy
from qgov_standards.queries.catalogue import entry_of
from qgov_standards.queries.search import MATCHED
from qgov_standards.schemas.catalogue import CatalogueStandardPublic, LimitShown
from qgov_standards.schemas.declarations import (
    CheckPublic,
    DeclarationPublic,
    DeclarationSummary,
    FlagPublic,
    IndicatorShown,
    StandardShown,
    VersionPublic,
)
from qgov_standards.schemas.rankings import (
    Frontrunner,
    PartShown,
    Placement,
    PlanPublic,
    RankingPublic,
    SearchHit,
)


def _bounds(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "unit": document["unit"],
        "direction": document["direction"],
        "value": document["value"],
        "minimum": document["minimum"],
        "maximum": document["maximum"],
        "text": bounds_of(document).text(),
    }


def indicators(documents: list[dict[str, Any]]) -> list[IndicatorShown]:
    return [
        IndicatorShown(
            name=item["name"],
            test_method=item["test_method"],
            safety=item["safety"],
            **_bounds(item),
        )
        for item in documents
    ]


def standards(documents: list[dict[str, Any]]) -> list[StandardShown]:
    return [
        StandardShown(
            number=item["number"],
            title=item["title"],
            year=item["year"],
            kind=Kind(item["kind"]),
            mandatory=item["mandatory"],
        )
        for item in documents
    ]


def flag(row: Flag) -> FlagPublic:
    failure = Failure(
        FlagReason(row.reason),
        row.standard_number,
        row.effective_on,
        row.indicator,
        row.required,
        row.declared,
        row.replaced_by,
    )
    return FlagPublic(
        id=row.id,
        declaration_id=row.declaration_id,
        declaration_version=row.declaration_version,
        reason=failure.reason,
        standard_number=row.standard_number,
        replaced_by=row.replaced_by,
        indicator=row.indicator,
        required=row.required,
        declared=row.declared,
        effective_on=row.effective_on,
        flagged_at=row.flagged_at,
        cleared_at=row.cleared_at,
        message=failure.message(),
    )


def declaration(row: Declaration, open_flags: list[Flag], policy: Policy) -> DeclarationPublic:
    return DeclarationPublic(
        id=row.id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        region_code=row.region_code,
        product_name=row.product_name,
        category=row.category,
        category_name=policy.categories.get(row.category, row.category),
        status=row.status,
        version=row.version,
        standards=standards(row.standards),
        indicators=indicators(row.indicators),
        published_at=row.published_at,
        revised_at=row.revised_at,
        withdrawn_at=row.withdrawn_at,
        withdrawal_reason=row.withdrawal_reason,
        open_flags=[flag(f) for f in open_flags],
    )


def summary(row: Declaration) -> DeclarationSummary:
    return DeclarationSummary(
        id=row.id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        product_name=row.product_name,
        category=row.category,
        status=row.status,
        version=row.version,
        standards=row.standard_numbers,
        open_flags=row.open_flags,
        revised_at=row.revised_at,
    )


def version(row: DeclarationVersion) -> VersionPublic:
    return VersionPublic(
        declaration_id=row.declaration_id,
        version=row.version,
        product_name=row.product_name,
        category=row.category,
        standards=standards(row.standards),
        indicators=indicators(row.indicators),
        note=row.note,
        published_at=row.published_at,
    )


def check(row: Check) -> CheckPublic:
    return CheckPublic.model_validate(row, from_attributes=True)


def catalogue_standard(
    row: CatalogueStandard, limits: list[LimitIndicator], today: Any
) -> CatalogueStandardPublic:
    kind = Kind(row.kind)
    return CatalogueStandardPublic(
        id=row.id,
        number=row.number,
        base=row.base,
        kind=kind,
        mandatory=kind is Kind.MANDATORY_NATIONAL,
        title=row.title,
        status=entry_of(row).status_on(today),
        effective_on=row.effective_on,
        withdrawn_on=row.withdrawn_on,
        replaced_by=row.replaced_by,
        limits_version=row.limits_version,
        limits=[
            LimitShown(name=limit.name, categories=limit.categories, **_bounds(limit.bounds))
            for limit in limits
        ],
        updated_at=row.updated_at,
    )


def plan(row: RankingPlan) -> PlanPublic:
    return PlanPublic(
        category=row.category, version=row.version, created_at=row.created_at, **row.plan
    )


def ranking(row: Ranking) -> RankingPublic:
    return RankingPublic(
        category=row.category,
        number=row.number,
        plan_version=row.plan_version,
        ranked=row.ranked,
        excluded=row.excluded,
        frontrunners=[Frontrunner(**item) for item in row.frontrunners],
        published_at=row.published_at,
    )


def placement(entry: RankingEntry, row: Ranking) -> Placement:
    explanation = entry.explanation
    return Placement(
        category=entry.category,
        ranking=row.number,
        plan_version=row.plan_version,
        declaration_id=entry.declaration_id,
        position=entry.position,
        rank=entry.rank,
        score=entry.score,
        frontrunner=entry.frontrunner,
        frontrunner_ranks=explanation["frontrunner_ranks"],
        parts=[PartShown(**part) for part in explanation["parts"]],
        excluded_for=explanation["excluded_for"],
    )


def hit(row: Any) -> SearchHit:
    return SearchHit(
        declaration_id=row.id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        product_name=row.product_name,
        category=row.category,
        standards=row.standard_numbers,
        matched=MATCHED[row.tier],
    )
