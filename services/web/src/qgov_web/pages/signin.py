"""Signing in with the client credentials the platform issued (an enterprise's, a
regulator's), and out. The platform's token stays on the server, in the session's row; the
browser gets only the session's random id, in an HttpOnly cookie."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter
from fastapi.responses import Response

from qgov_shared.app import UnitOfWorkDep
from qgov_shared.auth import InvalidToken, Role
from qgov_web import forms, sessions
from qgov_web.platform import ApiProblem
from qgov_web.visits import FormDep, Visit, VisitDep

router = APIRouter(prefix="/console", include_in_schema=False)
FIELDS = ("client_id", "client_secret")
CONSOLE_ROLES = frozenset({Role.REGULATOR, Role.ADMIN, Role.ENTERPRISE, Role.REVIEWER})
LONGEST_SESSION = timedelta(hours=12)


@router.get("")
async def console(visit: VisitDep) -> Response:
    """Each user's first page: the work queue for a regulator, the complaints for a firm, the
    assigned applications for a reviewer."""
    user = visit.user
    if user is None:
        return visit.deps.pages.redirect(visit, "/console/signin")
    if user.is_reviewer:
        return visit.deps.pages.redirect(visit, "/console/reviews")
    return visit.deps.pages.redirect(
        visit, "/console/queue" if user.is_regulator else "/console/complaints"
    )


@router.get("/signin")
async def signin_form(visit: VisitDep) -> Response:
    return visit.deps.pages.render(visit, "signin.html", form=forms.FormState())


@router.post("/signin")
async def sign_in(visit: VisitDep, form: FormDep, uow: UnitOfWorkDep) -> Response:
    values = forms.typed(form, FIELDS)
    missing = {name: visit.t("error.required") for name in FIELDS if not values[name]}
    if missing:
        return _refused(visit, values, missing)
    try:
        issued = await visit.deps.platform.token(
            values["client_id"], values["client_secret"], visit.caller
        )
        principal = await visit.deps.token_verifier.verify(issued["access_token"])
    except (ApiProblem, InvalidToken):
        return _refused(visit, values, {"": visit.t("signin.refused")})
    if principal.role not in CONSOLE_ROLES:
        return _refused(visit, values, {"": visit.t("signin.no_console")})
    lifetime = min(timedelta(seconds=int(issued.get("expires_in", 0))), LONGEST_SESSION)
    async with uow:
        user = await sessions.open_session(
            uow, principal, issued["access_token"], visit.now, lifetime
        )
        await uow.commit()
    response = visit.deps.pages.redirect(visit, "/console")
    visit.deps.pages.set_cookie(
        response, sessions.COOKIE, user.session_id, max_age=int(lifetime.total_seconds())
    )
    return response


@router.post("/signout")
async def sign_out(visit: VisitDep, form: FormDep, uow: UnitOfWorkDep) -> Response:
    if visit.user is not None:
        async with uow:
            await sessions.close(uow, visit.user.session_id)
            await uow.commit()
    response = visit.deps.pages.redirect(visit, "/")
    visit.deps.pages.forget_cookie(response, sessions.COOKIE)
    return response


def _refused(visit: Visit, values: dict[str, str], errors: dict[str, str]) -> Response:
    # The secret is never rendered back into the page.
    state = forms.FormState({"client_id": values["client_id"]}, errors)
    return visit.deps.pages.render(visit, "signin.html", status_code=422, form=state)
