"""The brands service's reads, each narrowed to what the caller may see: brands, holders and
notices are public; an enterprise sees its own applications and transfers, a regulator those
of its regions (an admin all), a reviewer only the applications assigned to it. `registry`
reads brands, awards and the credit view; `applications` the applications and their review."""

from qgov_brands.queries.applications import (
    applications,
    assigned_application,
    assignments,
    handled_application,
    in_notice,
    notices,
    objection_counts,
    reviewer_for,
    round_applications,
    score_totals,
    steps_and_objections,
    visible_application,
)
from qgov_brands.queries.registry import (
    accepted_transfers,
    award,
    award_history,
    awards_of,
    brand,
    brand_awards,
    brands,
    credit_view,
    handled_award,
    holders,
    reviewers,
    transfer_for,
    transfers_of,
)

__all__ = [
    "accepted_transfers",
    "applications",
    "assigned_application",
    "assignments",
    "award",
    "award_history",
    "awards_of",
    "brand",
    "brand_awards",
    "brands",
    "credit_view",
    "handled_application",
    "handled_award",
    "holders",
    "in_notice",
    "notices",
    "objection_counts",
    "reviewer_for",
    "reviewers",
    "round_applications",
    "score_totals",
    "steps_and_objections",
    "transfer_for",
    "transfers_of",
    "visible_application",
]
