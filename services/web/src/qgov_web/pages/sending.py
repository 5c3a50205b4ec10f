"""Sending a form to the platform, as every form page does: its body posted with the form's
idempotency key (sending it twice does it once), and either the platform's answer or its
refusal, the errors beside the fields with everything typed kept for the page to show again.
A 404 is not a refusal of the form: the thing itself is gone, and its error page is shown.
And what an enterprise's forms start from: the name it is registered under."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from qgov_web import forms
from qgov_web.pages.common import form_key
from qgov_web.platform import ApiProblem
from qgov_web.visits import Visit


@dataclass(frozen=True)
class Sent:
    answer: Any = None
    refused: forms.FormState | None = None  # the form again, with the refusal's errors
    status: int = 200  # the refusal's status, for the page shown again


async def send_form(
    visit: Visit,
    path: str,
    body: Mapping[str, Any],
    form: Mapping[str, Any],
    values: dict[str, str],
    spec: forms.Spec,
    *,
    errors: Callable[[ApiProblem], dict[str, str]] | None = None,
) -> Sent:
    try:
        answer = await visit.deps.platform.post(
            path, visit.caller, body, idempotency_key=form_key(form.get("form_key"))
        )
    except ApiProblem as problem:
        if problem.status == 404:
            raise
        found = errors(problem) if errors else forms.errors_from(problem, spec, visit.t)
        return Sent(refused=forms.FormState(values, found), status=problem.status)
    return Sent(answer=answer)


async def registered_name(visit: Visit) -> str:
    """The signed-in enterprise's name as the platform knows it, to fill its forms in with;
    empty while the platform has no profile of it yet."""
    code = visit.user.credit_code if visit.user else None
    if not code:
        return ""
    try:
        profile = await visit.deps.platform.get(f"/api/v1/enterprises/{code}/profile", visit.caller)
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        return ""
    return str(profile["name"])
