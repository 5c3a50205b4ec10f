"""Following a case with its tracking number and token: where it stands, every step so far and
the deadline it runs against; once closed, the handling can be rated. The number and token
travel in the form's body, never in a URL."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_web import forms
from qgov_web.pages.common import segment
from qgov_web.platform import ApiProblem
from qgov_web.visits import FormDep, Visit, VisitDep

router = APIRouter(include_in_schema=False)
TOKEN_HEADER = "x-tracking-token"
FIELDS = ("tracking_number", "token")
RATING: forms.Spec = {"satisfaction": ("satisfaction",)}
LONGEST_NUMBER = 40


@router.get("/complaints/follow")
async def follow_form(visit: VisitDep) -> Response:
    return visit.deps.pages.render(visit, "follow.html", form=forms.FormState())


@router.post("/complaints/follow")
async def follow(visit: VisitDep, form: FormDep) -> Response:
    values = forms.typed(form, FIELDS)
    missing = {name: visit.t("error.required") for name in FIELDS if not values[name]}
    if missing:
        return _form_again(visit, forms.FormState(values, missing))
    try:
        case = await _tracked(visit, values)
    except ApiProblem as problem:
        return _form_again(visit, forms.FormState(values, _lookup_errors(visit, problem)))
    return _timeline(visit, values, case, forms.FormState())


@router.post("/complaints/follow/rating")
async def rate(visit: VisitDep, form: FormDep) -> Response:
    values = forms.typed(form, [*FIELDS, "satisfaction"])
    credentials = {name: values[name] for name in FIELDS}
    number = values["tracking_number"][:LONGEST_NUMBER]
    try:
        case = await visit.deps.platform.post(
            f"/api/v1/tracking/{segment(number)}/rating",
            visit.caller,
            forms.body_of(values, RATING),
            extra_headers={TOKEN_HEADER: values["token"]},
        )
    except ApiProblem as problem:
        if problem.status == 404:
            return _form_again(visit, forms.FormState(values, _lookup_errors(visit, problem)))
        rating = forms.FormState(values, forms.errors_from(problem, RATING, visit.t))
        case = await _tracked(visit, credentials)
        return _timeline(visit, credentials, case, rating, status_code=problem.status)
    return _timeline(visit, credentials, case, forms.FormState(), rated=True)


async def _tracked(visit: Visit, values: dict[str, str]) -> dict:
    number = values["tracking_number"][:LONGEST_NUMBER]
    return await visit.deps.platform.get(
        f"/api/v1/tracking/{segment(number)}",
        visit.caller,
        extra_headers={TOKEN_HEADER: values["token"]},
    )


def _lookup_errors(visit: Visit, problem: ApiProblem) -> dict[str, str]:
    if problem.status == 404:
        return {"": visit.t("follow.not_found")}
    fields = {"x-tracking-token": "token", "X-Tracking-Token": "token"}
    errors = {
        fields.get(where, ""): forms.in_words(detail, visit.t)
        for where, detail in problem.by_field().items()
    }
    return errors or {"": problem.detail}


def _form_again(visit: Visit, state: forms.FormState) -> Response:
    return visit.deps.pages.render(visit, "follow.html", status_code=422, form=state)


def _timeline(
    visit: Visit,
    credentials: dict[str, str],
    case: dict,
    rating: forms.FormState,
    *,
    status_code: int = 200,
    rated: bool = False,
) -> Response:
    return visit.deps.pages.render(
        visit,
        "timeline.html",
        status_code=status_code,
        case=case,
        credentials=credentials,
        rating=rating,
        rated=rated,
    )
