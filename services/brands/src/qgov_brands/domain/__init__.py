"""The rules of brands and awards, free of I/O and of any framework: who may apply to a
programme (`eligibility`), who may review an application (`conflicts`), how scores become a
result (`scoring`), how an application moves through its programme's stages (`stages`), and
how a round's quotas decide who is proposed (`quotas`). Each refuses with `RuleViolation`."""

from __future__ import annotations

from qgov_shared.errors import NotFound, RuleViolation

__all__ = [
    "ApplicationNotFound",
    "AwardNotFound",
    "BrandNotFound",
    "ObjectionNotFound",
    "ProgrammeNotFound",
    "ReviewerNotFound",
    "RuleViolation",
    "TransferNotFound",
]


class BrandNotFound(NotFound):
    what = "brand"


class TransferNotFound(NotFound):
    what = "brand transfer"


class ProgrammeNotFound(NotFound):
    what = "award programme or round"


class ApplicationNotFound(NotFound):
    """No such application, or none the caller may see (a reviewer sees only theirs)."""

    what = "award application"


class ReviewerNotFound(NotFound):
    what = "reviewer"


class ObjectionNotFound(NotFound):
    what = "objection"


class AwardNotFound(NotFound):
    what = "award"
