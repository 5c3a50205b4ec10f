"""Errors as pages: what went wrong in the visitor's language, with the status it deserves.
A refused token ends the session (sign in again); a forged or stale form token is refused
without doing anything; the platform being down is a 503, never a server error of ours."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from qgov_web import sessions
from qgov_web.platform import ApiProblem, TokenRefused, Unavailable
from qgov_web.visits import CsrfRefused, SignInNeeded, visit_for_error

_MESSAGES = {401: "error.sign_in", 403: "error.forbidden", 404: "error.not_found"}


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiProblem, _platform_refused)
    app.add_exception_handler(TokenRefused, _token_refused)
    app.add_exception_handler(Unavailable, _unavailable)
    app.add_exception_handler(SignInNeeded, _sign_in_needed)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)


def _page(request: Request, status_code: int, message: str) -> Response:
    visit = visit_for_error(request)
    return visit.deps.pages.render(visit, "error.html", status_code=status_code, message=message)


async def _platform_refused(request: Request, problem: ApiProblem) -> Response:
    visit = visit_for_error(request)
    key = _MESSAGES.get(problem.status)
    return _page(request, problem.status, visit.t(key) if key else problem.detail)


async def _token_refused(request: Request, _: TokenRefused) -> Response:
    visit = visit_for_error(request)
    response = visit.deps.pages.redirect(visit, "/console/signin")
    visit.deps.pages.forget_cookie(response, sessions.COOKIE)
    return response


async def _unavailable(request: Request, _: Unavailable) -> Response:
    response = _page(request, 503, visit_for_error(request).t("error.unavailable"))
    response.headers["retry-after"] = "10"
    return response


async def _sign_in_needed(request: Request, _: SignInNeeded) -> Response:
    visit = visit_for_error(request)
    if visit.user is not None:  # signed in, but this page is another role's
        return _page(request, 403, visit.t("error.forbidden"))
    return visit.deps.pages.redirect(visit, "/console/signin")


async def _csrf_refused(request: Request, _: CsrfRefused) -> Response:
    return _page(request, 403, visit_for_error(request).t("error.csrf"))


async def _http_error(request: Request, error: HTTPException) -> Response:
    visit = visit_for_error(request)
    key = _MESSAGES.get(error.status_code)
    message = visit.t(key) if key else str(error.detail)
    return _page(request, error.status_code, message)


async def _invalid_request(request: Request, _: RequestValidationError) -> Response:
    return _page(request, 422, visit_for_error(request).t("error.invalid_request"))
