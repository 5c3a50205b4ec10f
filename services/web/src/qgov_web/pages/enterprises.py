"""An enterprise's console: the complaints naming it (the complainant's details masked) with
its answers, and its credit file with an application for credit repair."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import forms
from qgov_web.pages.common import form_key, new_form_key, segment
from qgov_web.pages.sending import send_form
from qgov_web.platform import ApiProblem
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
ANSWER: forms.Spec = {"kind": ("kind",), "text": ("text",)}
REPAIR: forms.Spec = {
    "target": ("target",),
    "record_id": ("record_id",),
    "pledge": ("pledge",),
    "correction": ("correction",),
}


@router.get("/complaints")
async def complaints(visit: VisitDep, cursor: str = "") -> Response:
    signed_in(visit, enterprise=True)
    page = await visit.deps.platform.get(
        "/api/v1/enterprise/complaints", visit.caller, {"cursor": cursor[:500]}
    )
    return visit.deps.pages.render(visit, "my_complaints.html", page=page)


@router.get("/complaints/{case_id}")
async def complaint(case_id: RowId, visit: VisitDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _complaint(visit, case_id, forms.FormState())


@router.post("/complaints/{case_id}/responses")
async def answer(case_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    values = forms.typed(form, ANSWER)
    path = f"/api/v1/enterprise/complaints/{case_id}/responses"
    sent = await send_form(visit, path, forms.body_of(values, ANSWER), form, values, ANSWER)
    if sent.refused:
        return await _complaint(visit, case_id, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/complaints/{case_id}")


async def _complaint(
    visit: Visit, case_id: int, state: forms.FormState, *, status_code: int = 200
) -> Response:
    detail = await visit.deps.platform.get(f"/api/v1/enterprise/complaints/{case_id}", visit.caller)
    return visit.deps.pages.render(
        visit,
        "my_complaint.html",
        status_code=status_code,
        case=detail,
        form=state,
        form_key=new_form_key(),
    )


@router.get("/credit")
async def credit(visit: VisitDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _credit(visit, forms.FormState())


@router.post("/credit/repairs")
async def apply_for_repair(visit: VisitDep, form: FormDep) -> Response:
    user = signed_in(visit, enterprise=True)
    values = forms.typed(form, REPAIR)
    try:
        await visit.deps.platform.post(
            f"/api/v1/credit/enterprises/{segment(user.credit_code or '')}/repairs",
            visit.caller,
            forms.body_of(values, REPAIR),
            idempotency_key=form_key(form.get("form_key")),
        )
    except ApiProblem as problem:
        state = forms.FormState(values, forms.errors_from(problem, REPAIR, visit.t))
        return await _credit(visit, state, status_code=problem.status)
    return visit.deps.pages.render(visit, "repair_received.html")


async def _credit(visit: Visit, state: forms.FormState, *, status_code: int = 200) -> Response:
    code = visit.user.credit_code if visit.user else ""
    try:
        file = await visit.deps.platform.get(
            f"/api/v1/credit/enterprises/{segment(code or '')}", visit.caller
        )
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        file = None
    return visit.deps.pages.render(
        visit,
        "my_credit.html",
        status_code=status_code,
        file=file,
        form=state,
        form_key=new_form_key(),
    )
