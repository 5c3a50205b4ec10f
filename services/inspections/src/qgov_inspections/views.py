"""Rows as the public models the API answers with. What a caller may see is decided here and
in the queries: the laboratory's view names no enterprise, the public one no inspector's data
beyond name and badge number, and results only once final."""

from __future__ import annotations

from collections.abc import Sequence

from qgov_inspections import domain
from qgov_inspections.domain import Status
from qgov_inspections.handlers import CHINA
from qgov_inspections.models import (
    Campaign,
    Conflict,
    Draw,
    Inspection,
    Inspector,
    KnownEnterprise,
    Laboratory,
    Sample,
)
from qgov_inspections.policy import Policy
from qgov_inspections.schemas import InspectorNamed
from qgov_inspections.schemas.campaigns import (
    CampaignPublic,
    DrawnEnterprise,
    DrawRecord,
    Exclusion,
    PublicInspection,
    PublicResult,
)
from qgov_inspections.schemas.inspections import (
    FollowUpShown,
    InspectionPublic,
    LabSample,
    SampleShown,
)
from qgov_inspections.schemas.roster import (
    ConflictPublic,
    DirectoryEnterprise,
    InspectorPublic,
    LaboratoryPublic,
)


def _named(team: Sequence[Inspector]) -> list[InspectorNamed]:
    return [InspectorNamed(name=i.name, badge_number=i.badge_number) for i in team]


def campaign(row: Campaign, counted: tuple[int, int], policy: Policy) -> CampaignPublic:
    total, final = counted
    public_by = (
        domain.publication_due(row.completed_on, policy.limits.publication_working_days)
        if row.completed_on
        else None
    )
    return CampaignPublic(
        id=row.id,
        title=row.title,
        region_codes=row.region_codes,
        categories=row.categories,
        period_start=row.period_start,
        period_end=row.period_end,
        ratios=row.ratios,
        inspectors_per_check=row.inspectors_per_check,
        laboratories=len(row.laboratory_ids),
        seed_hash=row.seed_hash,
        status=row.status,
        published_on=row.published_at.astimezone(CHINA).date(),
        drawn_on=row.drawn_on,
        completed_on=row.completed_on,
        results_public_by=public_by,
        inspections=total,
        final=final,
    )


def draw_record(
    record: Draw,
    row: Campaign,
    drawn: Sequence[Inspection],
    teams: dict[int, list[Inspector]],
) -> DrawRecord:
    return DrawRecord(
        campaign_id=row.id,
        seed=record.seed,
        seed_hash=row.seed_hash,
        candidates_hash=record.candidates_hash,
        candidate_count=record.candidate_count,
        ratios=row.ratios,
        inspectors_per_check=row.inspectors_per_check,
        inspector_pool=record.pool,
        exclusions=[Exclusion(badge_number=b, credit_code=c) for b, c in record.exclusions],
        drawn=[
            DrawnEnterprise(
                credit_code=inspection.credit_code,
                grade=inspection.grade,
                inspectors=[i.badge_number for i in teams[inspection.id]],
            )
            for inspection in drawn
        ],
        drawn_on=record.drawn_at.astimezone(CHINA).date(),
    )


def public_inspection(row: Inspection, team: Sequence[Inspector]) -> PublicInspection:
    result = None
    if row.status == Status.FINAL:
        result = PublicResult(
            outcome=row.final_outcome,
            product_name=row.sampling["product_name"],
            failing_indicators=row.result["failing_indicators"],
            decided_on=row.final_on,
            retested=row.retested,
            follow_up=_follow_up_state(row),
        )
    return PublicInspection(
        inspection_id=row.id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        grade=row.grade,
        inspectors=_named(team),
        status=row.status,
        result=result,
    )


def _follow_up_state(row: Inspection) -> str | None:
    if row.rectification_due_on is None:
        return None
    return row.followup_outcome or "open"


def inspection(
    row: Inspection, team: Sequence[Inspector], samples: Sequence[Sample]
) -> InspectionPublic:
    """The whole inspection; `samples` (blind codes, laboratories) only for regulators."""
    follow_up = None
    if row.rectification_due_on is not None:
        follow_up = FollowUpShown(
            rectification_due_on=row.rectification_due_on,
            reinspection=row.reinspection,
            outcome=row.followup_outcome,
            closed_on=row.followup_closed_on,
        )
    return InspectionPublic(
        id=row.id,
        campaign_id=row.campaign_id,
        credit_code=row.credit_code,
        enterprise_name=row.enterprise_name,
        region_code=row.region_code,
        grade=row.grade,
        inspectors=_named(team),
        team=[i.id for i in team],
        status=row.status,
        sampling=row.sampling,
        samples=[
            SampleShown(
                blind_code=s.blind_code,
                purpose=s.purpose,
                laboratory_id=s.laboratory_id,
                tested_on=s.tested_on,
                result=s.result,
            )
            for s in samples
        ],
        result=row.result,
        notified_on=row.notified_on,
        objection_due_on=row.objection_due_on,
        objection=row.objection,
        final_outcome=row.final_outcome,
        final_on=row.final_on,
        retested=row.retested,
        follow_up=follow_up,
    )


def lab_sample(row: Sample) -> LabSample:
    return LabSample(
        blind_code=row.blind_code,
        purpose=row.purpose,
        product_name=row.product_name,
        quantity=row.quantity,
        standard_numbers=row.standard_numbers,
        received_on=row.received_at.astimezone(CHINA).date(),
        tested_on=row.tested_on,
        result=row.result,
    )


def inspector(row: Inspector) -> InspectorPublic:
    return InspectorPublic.model_validate(row, from_attributes=True)


def laboratory(row: Laboratory) -> LaboratoryPublic:
    return LaboratoryPublic.model_validate(row, from_attributes=True)


def conflict(row: Conflict) -> ConflictPublic:
    return ConflictPublic(
        inspector_id=row.inspector_id,
        credit_code=row.credit_code,
        reason=row.reason,
        declared_on=row.declared_at.astimezone(CHINA).date(),
    )


def directory_entry(
    row: KnownEnterprise, grade: str, graded: bool, categories: list[str]
) -> DirectoryEnterprise:
    return DirectoryEnterprise(
        credit_code=row.credit_code,
        name=row.name,
        region_code=row.region_code,
        categories=categories,
        grade=grade,
        graded=graded,
    )
