"""Who is looking at a page: the language, the signed-in user if any, and what binds the
browser's forms (the CSRF binding). Every page route depends on `VisitDep`; a form handler on
`FormDep`, which also refuses a form without a valid CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from qgov_shared.app import SessionDep
from qgov_shared.http.ratelimit import client_address
from qgov_shared.telemetry import request_id
from qgov_web import csrf, i18n, sessions
from qgov_web.dependencies import WebDependencies, WebDependenciesDep
from qgov_web.platform import Caller
from qgov_web.sessions import SignedIn

MAX_FORM_FIELDS = 100


class CsrfRefused(Exception):
    """A form arrived without the token its page was rendered with."""


class SignInNeeded(Exception):
    """The page is for signed-in users of some role, and the visitor is not one."""


@dataclass(frozen=True)
class Visit:
    request: Request
    deps: WebDependencies
    t: i18n.Translator
    user: SignedIn | None
    binding: str
    new_binding: bool
    now: datetime

    @property
    def language(self) -> str:
        return self.t.language

    @property
    def csrf_token(self) -> str:
        return self.deps.csrf.token_for(self.binding)

    @property
    def caller(self) -> Caller:
        """How the pages call the platform for this visitor."""
        settings = self.deps.settings
        return Caller(
            token=self.user.token if self.user else None,
            forwarded_for=client_address(self.request, settings.trusted_proxies),
            request_id=request_id.get(),
        )


async def get_visit(request: Request, deps: WebDependenciesDep, session: SessionDep) -> Visit:
    now = deps.clock()
    user = await sessions.find(session, request.cookies.get(sessions.COOKIE), now)
    visitor = request.cookies.get(csrf.VISITOR_COOKIE)
    new_binding = user is None and not _plausible(visitor)
    if user is not None:
        binding = user.session_id
    else:
        binding = csrf.new_binding() if new_binding else str(visitor)
    visit = Visit(request, deps, _translator(request), user, binding, new_binding, now)
    request.state.visit = visit  # for the error pages, which have no dependencies
    return visit


def visit_for_error(request: Request) -> Visit:
    """The visit an error page is shown to: the one the route had, else (the error came
    before it) an anonymous one with a fresh binding."""
    visit = getattr(request.state, "visit", None)
    if isinstance(visit, Visit):
        return visit
    deps = request.app.state.dependencies
    binding = request.cookies.get(csrf.VISITOR_COOKIE)
    known = _plausible(binding)
    return Visit(
        request,
        deps,
        _translator(request),
        None,
        str(binding) if known else csrf.new_binding(),
        not known,
        deps.clock(),
    )


def _translator(request: Request) -> i18n.Translator:
    return i18n.Translator(i18n.language_of(request.cookies.get(i18n.COOKIE)))


def _plausible(visitor: str | None) -> bool:
    return bool(visitor) and 20 <= len(visitor) <= 100


VisitDep = Annotated[Visit, Depends(get_visit)]


async def get_form(request: Request, visit: VisitDep) -> FormData:
    """The submitted form, once its CSRF token is checked against this browser's binding."""
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    token = form.get(csrf.FIELD)
    if visit.new_binding or not visit.deps.csrf.is_valid(visit.binding, _text(token)):
        raise CsrfRefused()
    return form


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


FormDep = Annotated[FormData, Depends(get_form)]


def signed_in(visit: Visit, *, regulator: bool = False, enterprise: bool = False) -> SignedIn:
    """The user, who must be signed in (and a regulator or an enterprise when asked)."""
    user = visit.user
    if user is None or (regulator and not user.is_regulator):
        raise SignInNeeded()
    if enterprise and not user.is_enterprise:
        raise SignInNeeded()
    return user
