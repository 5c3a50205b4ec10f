"""Inspection campaigns (双随机、一公开): the regulators publish a campaign with the commitment
to a secret seed and later reveal the seed to draw; anyone then verifies the draw here, the
seed against its commitment and the drawn enterprises and inspectors computed again."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import drawcheck, forms
from qgov_web.pages.common import new_form_key
from qgov_web.pages.sending import send_form
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(include_in_schema=False)
API = "/api/v1/inspections/campaigns"
PUBLISH: forms.Spec = {
    "title": ("title",),
    "region_codes": ("region_codes",),
    "categories": ("categories",),
    "period_start": ("period_start",),
    "period_end": ("period_end",),
    **{f"ratio_{grade}": ("ratios", grade) for grade in drawcheck.GRADES},
    "inspectors_per_check": ("inspectors_per_check",),
    "laboratory_ids": ("laboratory_ids",),
    "seed_hash": ("seed_hash",),
}
LISTS = ("region_codes", "categories")
DRAW: forms.Spec = {"seed": ("seed",)}


@router.get("/pages/draws")
async def draws(visit: VisitDep, cursor: str = "") -> Response:
    page = await visit.deps.platform.get(API, visit.caller, {"cursor": cursor[:500]})
    return visit.deps.pages.render(visit, "draws.html", page=page)


@router.get("/pages/draws/{campaign_id}")
async def verify_draw(campaign_id: RowId, visit: VisitDep) -> Response:
    platform, caller = visit.deps.platform, visit.caller
    campaign = await platform.get(f"{API}/{campaign_id}", caller)
    record = verification = None
    if campaign["drawn_on"]:
        record, candidates = await asyncio.gather(
            platform.get(f"{API}/{campaign_id}/draw", caller),
            platform.get_text(f"{API}/{campaign_id}/draw/candidates", caller),
        )
        verification = drawcheck.verify(record, candidates)
    return visit.deps.pages.render(
        visit, "draw.html", campaign=campaign, record=record, verification=verification
    )


@router.get("/console/campaigns")
async def campaigns(visit: VisitDep, cursor: str = "") -> Response:
    signed_in(visit, regulator=True)
    return await _campaigns(visit, forms.FormState(), [], cursor=cursor[:500])


@router.post("/console/campaigns")
async def publish(visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, regulator=True)
    values = forms.typed(form, PUBLISH)
    chosen = [value for value in form.getlist("laboratory_ids") if isinstance(value, str)]
    body = _campaign_body(values, chosen)
    sent = await send_form(visit, API, body, form, values, PUBLISH)
    if sent.refused:
        return await _campaigns(visit, sent.refused, chosen, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/campaigns/{sent.answer['id']}")


@router.get("/console/campaigns/{campaign_id}")
async def campaign(campaign_id: RowId, visit: VisitDep) -> Response:
    signed_in(visit, regulator=True)
    return await _campaign(visit, campaign_id, forms.FormState())


@router.post("/console/campaigns/{campaign_id}/draw")
async def run_draw(campaign_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, regulator=True)
    values = forms.typed(form, DRAW)
    path = f"{API}/{campaign_id}/draw"
    # The seed is never written back into the page: the form comes back empty.
    sent = await send_form(visit, path, forms.body_of(values, DRAW), form, {}, DRAW)
    if sent.refused:
        return await _campaign(visit, campaign_id, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/campaigns/{campaign_id}")


def _campaign_body(values: dict[str, str], laboratories: list[str]) -> dict[str, Any]:
    body = forms.body_of(values, PUBLISH)
    for name in LISTS:
        if name in body:
            body[name] = [part.strip() for part in body[name].replace("，", ",").split(",")]
    body["laboratory_ids"] = laboratories[:20]
    return body


async def _campaigns(
    visit: Visit,
    state: forms.FormState,
    chosen: list[str],
    *,
    cursor: str = "",
    status_code: int = 200,
) -> Response:
    platform, caller = visit.deps.platform, visit.caller
    page, laboratories = await asyncio.gather(
        platform.get(API, caller, {"cursor": cursor}),
        platform.get("/api/v1/inspections/laboratories", caller, {"limit": 100}),
    )
    return visit.deps.pages.render(
        visit,
        "campaigns.html",
        status_code=status_code,
        page=page,
        laboratories=laboratories["items"],
        chosen=chosen,
        grades=drawcheck.GRADES,
        form=state,
        form_key=new_form_key(),
    )


async def _campaign(
    visit: Visit, campaign_id: int, state: forms.FormState, *, status_code: int = 200
) -> Response:
    platform, caller = visit.deps.platform, visit.caller
    shown = await platform.get(f"{API}/{campaign_id}", caller)
    inspections = None
    if shown["drawn_on"]:
        inspections = await platform.get(f"{API}/{campaign_id}/inspections", caller)
    return visit.deps.pages.render(
        visit,
        "campaign.html",
        status_code=status_code,
        campaign=shown,
        inspections=inspections,
        form=state,
        form_key=new_form_key(),
    )
