"""The two ways a use case refuses, shared so every service answers them alike.

Domain code raises these plain exceptions (no web framework in sight); the HTTP layer turns
them into problem documents: a `RuleViolation` naming a field is the caller's 422 with a
pointer to it, one naming none is a 409 (the step is not allowed in the current state), and a
`NotFound` is a 404 that says no more than what was looked for.
"""

from __future__ import annotations


class RuleViolation(Exception):
    """The input or the step breaks a rule; `field` names the input at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(LookupError):
    """No such thing, or none the caller may know of. `what` names the kind of thing."""

    what = "resource"
