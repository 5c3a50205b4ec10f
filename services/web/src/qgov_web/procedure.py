"""The procedural actions on a 12315 case as the work queue offers them: for each, its form's
fields and where it is sent, and which actions a case of a kind and status can take next.
The complaints service decides; this only keeps the page from offering what it would refuse
anyway (and its refusal is shown if the case moved on meanwhile)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qgov_web.forms import Spec, body_of


@dataclass(frozen=True)
class Action:
    name: str
    api_suffix: str
    spec: Spec = field(default_factory=dict)
    booleans: frozenset[str] = frozenset()


ACTIONS = {
    action.name: action
    for action in (
        Action("decision", "decision", {"decision": ("decision",), "ground": ("ground",)}),
        Action("mediation-start", "mediation/start"),
        Action(
            "mediation-outcome",
            "mediation/outcome",
            {"outcome": ("outcome",), "reason": ("reason",), "agreement": ("agreement",)},
        ),
        Action("close", "close"),
        Action("verification", "verification"),
        Action("extension", "extension", {"extension_reason": ("reason",)}),
        Action(
            "report-decision",
            "report-decision",
            {"case_opened": ("case_opened",), "decision_reason": ("reason",)},
            booleans=frozenset({"case_opened"}),
        ),
        Action(
            "transfer",
            "transfer",
            {"transfer_region_code": ("region_code",), "transfer_reason": ("reason",)},
        ),
        Action("note", "notes", {"note_text": ("text",)}),
    )
}

_MEDIATION_ENDED = ("mediated", "mediation_failed", "terminated")
_NEXT: dict[tuple[str, str], tuple[str, ...]] = {
    ("complaint", "submitted"): ("decision", "transfer"),
    ("complaint", "accepted"): ("mediation-start", "mediation-outcome", "transfer"),
    ("complaint", "mediating"): ("mediation-outcome", "transfer"),
    **{("complaint", status): ("close",) for status in _MEDIATION_ENDED},
    ("report", "submitted"): ("verification", "extension", "transfer"),
    ("report", "verifying"): ("report-decision", "extension", "transfer"),
}


def next_actions(kind: str, status: str) -> tuple[str, ...]:
    """What a case of this kind and status can do next; a note can always be added."""
    return (*_NEXT.get((kind, status), ()), "note")


def body_for(action: Action, values: dict[str, str]) -> dict[str, object]:
    body: dict[str, object] = body_of(values, action.spec)
    for name in action.booleans:
        place = action.spec[name][-1]
        if place in body:
            body[place] = body[place] == "true"
    return body


# The coded grounds the complaints policy accepts, in the order a regulator reads them (their
# words are in the language files). The platform has no public list of them yet.
REJECTION_GROUNDS = (
    "outside_duties",
    "already_handled",
    "not_consumption",
    "time_barred",
    "materials_missing",
    "other_legal_ground",
)
TERMINATION_REASONS = (
    "withdrawn_or_settled",
    "testing_disagreement",
    "party_refuses",
    "no_agreement",
    "time_limit",
    "inadmissible_found",
    "other_legal_ground",
)
