"""An enterprise's declared standards (企业标准自我声明公开): its declarations, a new one, a
revision and a withdrawal, and why the standards service refused or flagged one (its problem
details beside the fields that caused them, its flags and checks on the declaration's page)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_shared.ids import RowId
from qgov_web import forms
from qgov_web.pages.common import new_form_key
from qgov_web.pages.sending import registered_name, send_form
from qgov_web.visits import FormDep, Visit, VisitDep, signed_in

router = APIRouter(prefix="/console/declarations", include_in_schema=False)
API = "/api/v1/standards/declarations"
STANDARD_COLUMNS = ("number", "title")
INDICATOR_COLUMNS = ("name", "unit", "direction", "value", "minimum", "maximum")
ROWS = 3
DIRECTIONS = ("higher_better", "lower_better", "range")
CONTENT: forms.Spec = {
    "product_name": ("product_name",),
    "category": ("category",),
    **forms.row_fields("standards", STANDARD_COLUMNS, ROWS),
    **forms.row_fields("indicators", INDICATOR_COLUMNS, ROWS),
}
DECLARE: forms.Spec = {"enterprise_name": ("enterprise_name",), **CONTENT}
REVISE: forms.Spec = {**CONTENT, "note": ("note",)}
WITHDRAW: forms.Spec = {"withdrawal_reason": ("reason",)}


@router.get("")
async def declarations(visit: VisitDep, cursor: str = "") -> Response:
    user = signed_in(visit, enterprise=True)
    page = await visit.deps.platform.get(
        API, visit.caller, {"credit_code": user.credit_code, "cursor": cursor[:500]}
    )
    return visit.deps.pages.render(visit, "declarations.html", page=page)


@router.get("/new")
async def declaration_form(visit: VisitDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _new(visit, forms.FormState())


@router.post("/new")
async def declare(visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    values = _content(form, DECLARE)
    sent = await send_form(visit, API, _body(values, DECLARE), form, values, DECLARE)
    if sent.refused:
        return await _new(visit, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/declarations/{sent.answer['id']}")


@router.get("/{declaration_id}")
async def declaration(declaration_id: RowId, visit: VisitDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _show(visit, declaration_id)


@router.post("/{declaration_id}/versions")
async def revise(declaration_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _act(visit, declaration_id, form, "versions", REVISE)


@router.post("/{declaration_id}/withdrawal")
async def withdraw(declaration_id: RowId, visit: VisitDep, form: FormDep) -> Response:
    signed_in(visit, enterprise=True)
    return await _act(visit, declaration_id, form, "withdrawal", WITHDRAW)


async def _act(
    visit: Visit, declaration_id: int, form: Any, step: str, spec: forms.Spec
) -> Response:
    values = _content(form, spec)
    path = f"{API}/{declaration_id}/{step}"
    sent = await send_form(visit, path, _body(values, spec), form, values, spec)
    if sent.refused:
        return await _show(visit, declaration_id, step, sent.refused, status_code=sent.status)
    return visit.deps.pages.redirect(visit, f"/console/declarations/{declaration_id}")


def _content(form: Any, spec: forms.Spec) -> dict[str, str]:
    values = forms.typed(form, spec)
    forms.packed_rows(values, "standards", STANDARD_COLUMNS, ROWS)
    forms.packed_rows(values, "indicators", INDICATOR_COLUMNS, ROWS)
    return values


def _body(values: dict[str, str], spec: forms.Spec) -> dict[str, Any]:
    body = forms.with_lists(forms.body_of(values, spec))
    if "standards" in spec and "standards" not in body:
        body["standards"] = []  # so the service names the missing standard
    return body


async def _new(visit: Visit, state: forms.FormState, *, status_code: int = 200) -> Response:
    if not state.values:
        state = forms.FormState({"enterprise_name": await registered_name(visit)})
    return visit.deps.pages.render(
        visit,
        "declaration_form.html",
        status_code=status_code,
        form=state,
        categories=await _categories(visit),
        **_choices(visit),
        form_key=new_form_key(),
    )


async def _show(
    visit: Visit,
    declaration_id: int,
    failed: str = "",
    state: forms.FormState | None = None,
    *,
    status_code: int = 200,
) -> Response:
    platform, caller = visit.deps.platform, visit.caller
    shown, checks, flags = await asyncio.gather(
        platform.get(f"{API}/{declaration_id}", caller),
        platform.get(f"{API}/{declaration_id}/checks", caller),
        platform.get(f"{API}/{declaration_id}/flags", caller),
    )
    current = forms.FormState(_values_of(shown))
    return visit.deps.pages.render(
        visit,
        "declaration.html",
        status_code=status_code,
        declaration=shown,
        checks=checks["items"],
        flags=flags["items"],
        revision=state if failed == "versions" and state else current,
        withdrawal=state if failed == "withdrawal" and state else forms.FormState(),
        categories=await _categories(visit),
        **_choices(visit),
        form_key=new_form_key(),
    )


def _values_of(shown: dict[str, Any]) -> dict[str, str]:
    """A declaration's content as the revision form's values."""
    values = {"product_name": shown["product_name"], "category": shown["category"]}
    for group, columns in (("standards", STANDARD_COLUMNS), ("indicators", INDICATOR_COLUMNS)):
        for row, item in enumerate(shown[group][:ROWS]):
            for column in columns:
                value = item.get(column)
                values[f"{group}_{row}_{column}"] = "" if value is None else str(value)
    return values


async def _categories(visit: Visit) -> list[tuple[str, str]]:
    shown = await visit.deps.platform.get("/api/v1/standards/categories", visit.caller)
    return [(category["code"], category["name"]) for category in shown["categories"]]


def _choices(visit: Visit) -> dict[str, Any]:
    return {
        "rows": range(ROWS),
        "directions": [(code, visit.t.label("direction", code)) for code in DIRECTIONS],
    }
