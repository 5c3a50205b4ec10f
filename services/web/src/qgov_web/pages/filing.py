"""Filing a complaint (投诉) or a report (举报): the legal notice, the categories and the region
picker, the errors beside their fields with everything typed kept, and on success the
tracking number and token, shown once on a printable receipt."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_web import forms
from qgov_web.pages.common import form_key, new_form_key
from qgov_web.platform import ApiProblem
from qgov_web.regions import region_choices
from qgov_web.visits import FormDep, Visit, VisitDep

router = APIRouter(include_in_schema=False)
NOTICE_FIELD = "notice_read"


@dataclass(frozen=True)
class Filing:
    kind: str  # complaint or report
    path: str  # where the page and its form are
    api_path: str
    spec: forms.Spec


COMPLAINT = Filing("complaint", "/complaints/new", "/api/v1/complaints", forms.COMPLAINT)
REPORT = Filing("report", "/reports/new", "/api/v1/reports", forms.REPORT)


@router.get("/complaints/new")
async def complaint_form(visit: VisitDep) -> Response:
    return await _show(visit, COMPLAINT, forms.FormState())


@router.post("/complaints/new")
async def file_complaint(visit: VisitDep, form: FormDep) -> Response:
    return await _file(visit, COMPLAINT, form)


@router.get("/reports/new")
async def report_form(visit: VisitDep) -> Response:
    return await _show(visit, REPORT, forms.FormState())


@router.post("/reports/new")
async def file_report(visit: VisitDep, form: FormDep) -> Response:
    return await _file(visit, REPORT, form)


async def _file(visit: Visit, filing: Filing, form) -> Response:
    values = forms.typed(form, [*filing.spec, NOTICE_FIELD])
    if values[NOTICE_FIELD] != "yes":
        state = forms.FormState(values, {NOTICE_FIELD: visit.t("file.notice_required")})
        return await _show(visit, filing, state, status_code=422)
    try:
        receipt = await visit.deps.platform.post(
            filing.api_path,
            visit.caller,
            forms.body_of(values, filing.spec),
            idempotency_key=form_key(form.get("form_key")),
        )
    except ApiProblem as problem:
        state = forms.FormState(values, forms.errors_from(problem, filing.spec, visit.t))
        return await _show(visit, filing, state, status_code=problem.status)
    return visit.deps.pages.render(visit, "receipt.html", receipt=receipt, kind=filing.kind)


async def _show(
    visit: Visit, filing: Filing, state: forms.FormState, *, status_code: int = 200
) -> Response:
    services = await visit.deps.platform.get("/open311/v2/services.json", visit.caller)
    categories = [(service["service_code"], service["service_name"]) for service in services]
    return visit.deps.pages.render(
        visit,
        f"file_{filing.kind}.html",
        status_code=status_code,
        filing=filing,
        form=state,
        categories=categories,
        regions=region_choices(),
        form_key=new_form_key(),
    )
