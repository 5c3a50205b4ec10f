"""An enterprise's brands and award applications: its registered brands and a new one, its
applications and a new one for an award programme's open round (the brands service says
why one is refused, beside the field at fault)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_web import forms
from qgov_web.formats import CHINA
from qgov_web.pages.common import new_form_key
from qgov_web.pages.sending import registered_name, send_form
from qgov_web.platform import ApiProblem
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console", include_in_schema=False)
BRAND: forms.Spec = {
    "brand_name": ("name",),
    "owner_name": ("owner_name",),
    "trademark_number": ("trademark_number",),
    "nice_class": ("nice_class",),
    "product_categories": ("product_categories",),
    "founded_year": ("founded_year",),
}
APPLICATION: forms.Spec = {
    "programme_round": ("round",),
    "enterprise_name": ("enterprise_name",),
    "enterprise_group": ("enterprise_group",),
    "brand_id": ("brand_id",),
    "statement": ("statement",),
}
NUMBERS = ("nice_class", "founded_year", "brand_id")


@router.get("/brands")
async def brands(visit: VisitDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _show(visit)


@router.post("/brands")
async def register_brand(visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    values = forms.typed(form, BRAND)
    body = _numbers(forms.body_of(values, BRAND))
    if "product_categories" in body:
        text = body["product_categories"].replace("，", ",")
        body["product_categories"] = [part.strip() for part in text.split(",") if part.strip()]
    sent = await send_form(visit, "/api/v1/brands", body, form, values, BRAND)
    if sent.refused:
        return await _show(visit, brand=sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, "/console/brands")


@router.post("/applications")
async def apply(visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    values = forms.typed(form, APPLICATION)
    body = _numbers(forms.body_of(values, APPLICATION))
    # One choice names both: "programme round".
    programme, _, round_code = body.pop("round", "").partition(" ")
    body.update(programme=programme, round=round_code)
    sent = await send_form(
        visit,
        "/api/v1/awards/applications",
        body,
        form,
        values,
        APPLICATION,
        errors=lambda problem: _application_errors(problem, visit),
    )
    if sent.refused:
        return await _show(visit, application=sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/applications/{sent.answer['id']}")


def _application_errors(problem: ApiProblem, visit: Visit) -> dict[str, str]:
    """The refusal's errors beside the fields; the programme's and the round's both beside
    the one choice that names them."""
    errors = forms.errors_from(problem, APPLICATION, visit.t)
    if "" in errors:
        by_programme = forms.errors_from(problem, {"programme_round": ("programme",)}, visit.t)
        if "programme_round" in by_programme:
            errors.pop("")
            errors.setdefault("programme_round", by_programme["programme_round"])
    return errors


def _numbers(body: dict[str, Any]) -> dict[str, Any]:
    """Whole numbers typed as such; anything else is sent as typed, for the service to name."""
    for name in NUMBERS:
        value = body.get(name)
        if isinstance(value, str) and value.isdigit() and len(value) <= 18:
            body[name] = int(value)
    return body


async def _show(
    visit: Visit,
    *,
    brand: forms.FormState | None = None,
    application: forms.FormState | None = None,
    status_code: int = 200,
) -> Response:
    platform, caller, code = visit.deps.platform, visit.caller, visit.user.credit_code
    mine, applications, programmes, name = await asyncio.gather(
        platform.get("/api/v1/brands", caller, {"credit_code": code, "limit": 100}),
        platform.get("/api/v1/awards/applications", caller, {"limit": 100}),
        platform.get("/api/v1/awards/programmes", caller),
        registered_name(visit),
    )
    today = visit.now.astimezone(CHINA).date().isoformat()
    rounds = [
        (f"{programme['code']} {one['code']}", f"{programme['name']}（{one['code']}）")
        for programme in programmes
        for one in programme["rounds"]
        if one["opens_on"] <= today <= one["closes_on"]
    ]
    return visit.deps.pages.render(
        visit,
        "brands.html",
        status_code=status_code,
        brands=mine["items"],
        brand_choices=[(str(brand["id"]), brand["name"]) for brand in mine["items"]],
        applications=applications["items"],
        rounds=rounds,
        brand_form=brand or forms.FormState({"owner_name": name}),
        application_form=application or forms.FormState({"enterprise_name": name}),
        form_key=new_form_key(),
    )
