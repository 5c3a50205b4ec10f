"""Award reviews: the applications a regulator runs in its regions (assign reviewers, see
their scores, close each stage: pass or refuse, the last one deciding), and those assigned to
a reviewer, with its scoring form. Any role sees one application on the same page (an
enterprise its own), with only the forms that role may use."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import forms
from qgov_web.pages.common import new_form_key, segment
from qgov_web.pages.sending import send_form
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
API = "/api/v1/awards/applications"
STATUSES = ("in_progress", "granted", "rejected")
ASSIGN: forms.Spec = {"reviewer_id": ("reviewer_id",)}
STEP: forms.Spec = {"stage": ("stage",), "passed": ("passed",), "reasons": ("reasons",)}
PROPOSE: forms.Spec = {"programme_round": ("programme_round",), "proposal_reasons": ("reasons",)}
Status = Annotated[str, Query(max_length=20)]


@router.get("/reviews")
async def reviews(visit: VisitDep, status: Status = "in_progress", cursor: str = "") -> Response:
    user = signed_in(visit)
    if not (user.is_regulator or user.is_reviewer):
        signed_in(visit, regulator=True)
    status = status if status in STATUSES else "in_progress"
    return await _list(visit, status, cursor[:500], forms.FormState())


@router.post("/reviews/proposals")
async def propose(visit: VisitDep, form: FormDep) -> Response:
    """The committee's proposal for a closed round: the applications it ranks within the
    programme's quotas go on to the public notice."""
    signed_in(visit, regulator=True)
    values = forms.typed(form, PROPOSE)
    programme, _, round_code = values["programme_round"].partition(" ")
    path = f"/api/v1/awards/programmes/{segment(programme)}/rounds/{segment(round_code)}/proposal"
    body = forms.body_of(values, PROPOSE)
    body.pop("programme_round", None)
    if not programme or not round_code:
        refused = forms.FormState(values, {"programme_round": visit.t("error.required")})
        return await _list(visit, "in_progress", "", refused, status_code=422)
    sent = await send_form(visit, path, body, form, values, PROPOSE)
    if sent.refused:
        return await _list(visit, "in_progress", "", sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, "/console/reviews")


@router.get("/applications/{application_id}")
async def application(application_id: RowId, visit: VisitDep) -> Response:
    signed_in(visit)
    return await _show(visit, application_id, "", forms.FormState())


@router.post("/applications/{application_id}/assignments")
async def assign(application_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, regulator=True)
    values = forms.typed(form, ASSIGN)
    body = {"reviewer_id": _whole(values["reviewer_id"])} if values["reviewer_id"] else {}
    return await _send(visit, application_id, "assignments", body, values, ASSIGN, form)


@router.post("/applications/{application_id}/steps")
async def close_stage(application_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, regulator=True)
    values = forms.typed(form, STEP)
    body: dict[str, Any] = forms.body_of(values, STEP)
    if "passed" in body:
        body["passed"] = body["passed"] == "true"
    return await _send(visit, application_id, "steps", body, values, STEP, form)


@router.post("/applications/{application_id}/scores")
async def score(application_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    user = signed_in(visit)
    if not user.is_reviewer:
        return visit.deps.pages.render(
            visit, "error.html", status_code=403, message=visit.t("error.forbidden")
        )
    shown = await visit.deps.platform.get(f"{API}/{application_id}", visit.caller)
    spec = _score_spec(await _weights(visit, shown["programme"]))
    values = forms.typed(form, spec)
    body = {"scores": {place[-1]: _whole(values[name]) for name, place in spec.items()}}
    return await _send(visit, application_id, "scores", body, values, spec, form)


async def _send(
    visit: Visit,
    application_id: int,
    step: str,
    body: dict[str, Any],
    values: dict[str, str],
    spec: forms.Spec,
    form: Any,
) -> Response:
    path = f"{API}/{application_id}/{step}"
    sent = await send_form(visit, path, body, form, values, spec)
    if sent.refused:
        return await _show(visit, application_id, step, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/applications/{application_id}")


def _whole(text: str) -> int | str:
    """A whole number typed as one; anything else as typed, for the service to name."""
    return int(text) if text.isdigit() and len(text) <= 18 else text


def _score_spec(weights: dict[str, int]) -> forms.Spec:
    return {f"score_{criterion}": ("scores", criterion) for criterion in weights}


async def _weights(visit: Visit, programme: str) -> dict[str, int]:
    shown = await visit.deps.platform.get(f"/api/v1/awards/programmes/{programme}", visit.caller)
    return dict(shown["review"]["weights"])


async def _list(
    visit: Visit, status: str, cursor: str, state: forms.FormState, *, status_code: int = 200
) -> Response:
    page = await visit.deps.platform.get(API, visit.caller, {"status": status, "cursor": cursor})
    rounds = []
    if visit.user and visit.user.is_regulator:
        programmes = await visit.deps.platform.get("/api/v1/awards/programmes", visit.caller)
        rounds = [
            (f"{programme['code']} {one['code']}", f"{programme['name']}（{one['code']}）")
            for programme in programmes
            for one in programme["rounds"]
        ]
    return visit.deps.pages.render(
        visit,
        "reviews.html",
        status_code=status_code,
        page=page,
        status=status,
        statuses=STATUSES,
        rounds=rounds,
        form=state,
        form_key=new_form_key(),
    )


async def _reviewers(visit: Visit) -> list[tuple[str, str]]:
    """The reviewers a regulator may assign (none for anyone else)."""
    if not (visit.user and visit.user.is_regulator):
        return []
    page = await visit.deps.platform.get("/api/v1/awards/reviewers", visit.caller, {"limit": 100})
    return [(str(r["id"]), f"{r['name']}（{r['organisation']}）") for r in page["items"]]


async def _show(
    visit: Visit, application_id: int, failed: str, state: forms.FormState, *, status_code=200
) -> Response:
    shown = await visit.deps.platform.get(f"{API}/{application_id}", visit.caller)
    weights, reviewers = await asyncio.gather(
        _weights(visit, shown["programme"]), _reviewers(visit)
    )
    blank = forms.FormState()
    return visit.deps.pages.render(
        visit,
        "application.html",
        status_code=status_code,
        application=shown,
        weights=weights,
        reviewers=reviewers,
        assign_form=state if failed == "assignments" else blank,
        step_form=state if failed == "steps" else forms.FormState({"stage": shown["stage"]}),
        score_form=state if failed == "scores" else blank,
        form_key=new_form_key(),
    )
