"""Traceability in the consoles: an enterprise's trace certificates (issued here, each with
its public trace page) and the events it captured; recalls, an enterprise's own and those a
regulator follows in its regions, with their progress reports and their closing summary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import forms
from qgov_web.pages.common import new_form_key
from qgov_web.pages.sending import send_form
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
CERTIFICATES = "/api/v1/traceability/certificates"
RECALLS = "/api/v1/recalls"
PageToken = Annotated[str, Query(max_length=500, pattern=r"^[A-Za-z0-9_.=-]*$")]
CERTIFICATE: forms.Spec = {
    "lot": ("lot",),
    "product_name": ("product_name",),
    "quantity": ("quantity",),
    "unit": ("unit",),
    "production_place": ("production_place",),
    "commitment_basis": ("commitment_basis",),
    "contact": ("contact",),
}
# The commitment bases the traceability policy accepts (their words in the language files); the
# platform has no public list of them yet.
COMMITMENT_BASES = ("self_testing", "entrusted_testing", "internal_control", "self_commitment")
RECALL: forms.Spec = {
    "credit_code": ("credit_code",),
    "lots": ("scope", "lots"),
    "defect": ("defect",),
    "hazard": ("hazard",),
    "measures": ("measures",),
    "deadline": ("deadline",),
    "contact": ("contact",),
    "units_affected": ("units_affected",),
}
PROGRESS: forms.Spec = {
    "party": ("party",),
    "units_recovered": ("units_recovered",),
    "note": ("note",),
}
CLOSE: forms.Spec = {"summary": ("summary",)}
STEPS = {"progress": PROGRESS, "close": CLOSE}


@router.get("/certificates")
async def certificates(visit: VisitDep, cursor: str = "") -> Response:
    signed_in(visit, enterprise=True)
    return await _certificates(visit, forms.FormState(), cursor=cursor[:500])


@router.post("/certificates")
async def issue(visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    values = forms.typed(form, CERTIFICATE)
    body = forms.body_of(values, CERTIFICATE)
    sent = await send_form(visit, CERTIFICATES, body, form, values, CERTIFICATE)
    if sent.refused:
        return await _certificates(visit, sent.refused, status_code=sent.status)
    return visit.deps.pages.render(visit, "certificate_issued.html", certificate=sent.answer)


@router.get("/events")
async def captured_events(visit: VisitDep, page: PageToken = "") -> Response:
    """The events the enterprise captured, newest first, a page at a time (the EPCIS query's
    own paging: its next page's token, from the `Link` header)."""
    signed_in(visit, enterprise=True)
    size = visit.deps.settings.events_page_size
    query = {"orderBy": "eventTime", "orderDirection": "DESC", "perPage": size}
    document, next_page = await visit.deps.platform.get_linked(
        "/epcis/events", visit.caller, {**query, "nextPageToken": page}
    )
    return visit.deps.pages.render(
        visit, "captured_events.html", events=_event_list(document), next_page=next_page
    )


@router.get("/recalls")
async def recalls(visit: VisitDep, cursor: str = "") -> Response:
    _member(visit)
    return await _recalls(visit, forms.FormState(), cursor=cursor[:500])


@router.post("/recalls")
async def initiate(visit: VisitDep, form: FormDep) -> Response:
    user = _member(visit)
    values = forms.typed(form, RECALL)
    body = forms.body_of(values, RECALL)
    if user.is_enterprise:
        body.pop("credit_code", None)  # an enterprise recalls its own products
    lots = body.get("scope", {}).get("lots", "")
    body["scope"] = {"lots": [line.strip() for line in lots.splitlines() if line.strip()]}
    sent = await send_form(visit, RECALLS, body, form, values, RECALL)
    if sent.refused:
        return await _recalls(visit, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/recalls/{sent.answer['id']}")


@router.get("/recalls/{recall_id}")
async def recall(recall_id: RowId, visit: VisitDep) -> Response:
    _member(visit)
    return await _recall(visit, recall_id, "", forms.FormState())


@router.post("/recalls/{recall_id}/{step}")
async def recall_step(recall_id: RowId, step: str, visit: VisitDep, form: FormDep) -> Response:
    _member(visit)
    spec = STEPS.get(step)
    if spec is None:
        return visit.deps.pages.render(
            visit, "error.html", status_code=404, message=visit.t("error.not_found")
        )
    values = forms.typed(form, spec)
    path = f"{RECALLS}/{recall_id}/{step}"
    sent = await send_form(visit, path, forms.body_of(values, spec), form, values, spec)
    if sent.refused:
        return await _recall(visit, recall_id, step, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/recalls/{recall_id}")


def _member(visit: Visit):
    """An enterprise (its own recalls) or a regulator (those in its regions)."""
    user = signed_in(visit)
    if not (user.is_enterprise or user.is_regulator):
        signed_in(visit, regulator=True)
    return user


def _event_list(document: Any) -> list[dict[str, Any]]:
    """The events of an EPCIS query document, whichever of its shapes it comes in."""
    if not isinstance(document, dict):
        return []
    body = document.get("epcisBody", document)
    results = (
        body.get("queryResults", {}).get("resultsBody", body) if isinstance(body, dict) else {}
    )
    events = results.get("eventList", []) if isinstance(results, dict) else []
    return [event for event in events if isinstance(event, dict)]


async def _certificates(
    visit: Visit, state: forms.FormState, *, cursor: str = "", status_code: int = 200
) -> Response:
    page = await visit.deps.platform.get(CERTIFICATES, visit.caller, {"cursor": cursor})
    return visit.deps.pages.render(
        visit,
        "certificates.html",
        status_code=status_code,
        page=page,
        form=state,
        bases=[(code, visit.t.label("basis", code)) for code in COMMITMENT_BASES],
        form_key=new_form_key(),
    )


async def _recalls(
    visit: Visit, state: forms.FormState, *, cursor: str = "", status_code: int = 200
) -> Response:
    page = await visit.deps.platform.get(RECALLS, visit.caller, {"cursor": cursor})
    return visit.deps.pages.render(
        visit,
        "recalls.html",
        status_code=status_code,
        page=page,
        form=state,
        form_key=new_form_key(),
    )


async def _recall(
    visit: Visit, recall_id: int, failed: str, state: forms.FormState, *, status_code: int = 200
) -> Response:
    shown = await visit.deps.platform.get(f"{RECALLS}/{recall_id}", visit.caller)
    blank = forms.FormState()
    return visit.deps.pages.render(
        visit,
        "recall.html",
        status_code=status_code,
        recall=shown,
        progress=state if failed == "progress" else blank,
        closing=state if failed == "close" else blank,
        form_key=new_form_key(),
    )
