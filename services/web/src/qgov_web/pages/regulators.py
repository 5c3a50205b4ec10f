"""The regulators' work queue: what is due soon or overdue, everything by region and status,
and each case with its file, its timeline and every procedural action it can take next."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import forms, procedure
from qgov_web.pages.common import new_form_key
from qgov_web.pages.sending import send_form
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
Region = Annotated[str, Query(pattern=r"^(\d{6})?$")]
Status = Annotated[str, Query(max_length=24, pattern=r"^[a-z_]*$")]
Cursor = Annotated[str, Query(max_length=500)]
VIEWS = ("all", "due", "overdue")


@router.get("/queue")
async def queue(
    visit: VisitDep,
    view: Annotated[str, Query(max_length=10)] = "all",
    region: Region = "",
    status: Status = "",
    cursor: Cursor = "",
) -> Response:
    user = signed_in(visit, regulator=True)
    view = view if view in VIEWS else "all"
    filters = {"region_code": region, "status": status, "cursor": cursor}
    if view == "due":
        page = await visit.deps.platform.get(
            "/api/v1/submissions/due", visit.caller, {"cursor": cursor}
        )
    else:
        overdue = "true" if view == "overdue" else None
        page = await visit.deps.platform.get(
            "/api/v1/submissions", visit.caller, {**filters, "overdue": overdue}
        )
    return visit.deps.pages.render(
        visit, "queue.html", page=page, view=view, filters=filters, regions=user.regions
    )


@router.get("/cases/{case_id}")
async def case(case_id: RowId, visit: VisitDep) -> Response:
    signed_in(visit, regulator=True)
    return await _show(visit, case_id, None, forms.FormState())


@router.post("/cases/{case_id}/{action_name}")
async def act(case_id: RowId, action_name: str, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, regulator=True)
    action = procedure.ACTIONS.get(action_name)
    if action is None:
        return _unknown_action(visit)
    values = forms.typed(form, action.spec)
    path = f"/api/v1/submissions/{case_id}/{action.api_suffix}"
    body = procedure.body_for(action, values)
    sent = await send_form(visit, path, body, form, values, action.spec)
    if sent.refused:
        return await _show(visit, case_id, action.name, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/cases/{case_id}")


async def _show(
    visit: Visit,
    case_id: int,
    failed_action: str | None,
    state: forms.FormState,
    *,
    status_code: int = 200,
) -> Response:
    detail = await visit.deps.platform.get(f"/api/v1/submissions/{case_id}", visit.caller)
    return visit.deps.pages.render(
        visit,
        "case.html",
        status_code=status_code,
        case=detail,
        actions=procedure.next_actions(detail["kind"], detail["status"]),
        failed_action=failed_action,
        form=state,
        blank=forms.FormState(),
        grounds=[(code, visit.t.label("ground", code)) for code in procedure.REJECTION_GROUNDS],
        reasons=[
            (code, visit.t.label("termination", code)) for code in procedure.TERMINATION_REASONS
        ],
        form_key=new_form_key(),
    )


def _unknown_action(visit: Visit) -> Response:
    return visit.deps.pages.render(
        visit, "error.html", status_code=404, message=visit.t("error.not_found")
    )
