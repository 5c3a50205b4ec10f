"""What the brands API takes and gives, by concern: `brands` (brands, transfers), `reviewers`,
`applications` (applications, steps, scores, objections), `awards` and `programmes`. Inputs
validate everything they can by themselves; rules that need the policy or the clock are the
handlers'."""

from qgov_brands.schemas.applications import (
    ApplicationCreate,
    ApplicationDetail,
    ApplicationFilters,
    ApplicationSummary,
    AssignmentCreate,
    AssignmentView,
    ObjectionCreate,
    ObjectionView,
    ProposalCreate,
    Resolution,
    ScoreCreate,
    ScoreView,
    StepCreate,
    StepView,
)
from qgov_brands.schemas.awards import (
    AwardDetail,
    AwardHistoryView,
    AwardPublic,
    HolderFilters,
    NoticePublic,
    RevocationCreate,
)
from qgov_brands.schemas.brands import (
    BrandCreate,
    BrandDetail,
    BrandFilters,
    BrandPublic,
    Ownership,
    TransferCreate,
    TransferPublic,
)
from qgov_brands.schemas.programmes import ProgrammePublic
from qgov_brands.schemas.reviewers import ReviewerCreate, ReviewerPublic

__all__ = [
    "ApplicationCreate",
    "ApplicationDetail",
    "ApplicationFilters",
    "ApplicationSummary",
    "AssignmentCreate",
    "AssignmentView",
    "AwardDetail",
    "AwardHistoryView",
    "AwardPublic",
    "BrandCreate",
    "BrandDetail",
    "BrandFilters",
    "BrandPublic",
    "HolderFilters",
    "NoticePublic",
    "ObjectionCreate",
    "ObjectionView",
    "Ownership",
    "ProgrammePublic",
    "ProposalCreate",
    "Resolution",
    "ReviewerCreate",
    "ReviewerPublic",
    "RevocationCreate",
    "ScoreCreate",
    "ScoreView",
    "StepCreate",
    "StepView",
    "TransferCreate",
    "TransferPublic",
]
