"""Pages rendered on the server (Jinja2, autoescaped), each answered with a strict
Content-Security-Policy: scripts and styles from this site's static files only, nothing inline,
forms posting only here. Pages are not cached: many carry personal data or a form's token."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from qgov_shared.regions import region_name
from qgov_web import csrf, formats
from qgov_web.visits import Visit

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "content-security-policy": CSP,
    "cache-control": "no-store",
    "vary": "cookie",
}
YEAR_S = 365 * 24 * 3600


class Pages:
    def __init__(self, *, secure_cookies: bool) -> None:
        self.secure_cookies = secure_cookies
        self.env = Environment(
            loader=PackageLoader("qgov_web", "templates"),
            autoescape=select_autoescape(("html", "svg")),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(region_name=region_name)
        self.env.filters.update(formats.FILTERS)

    def render(
        self, visit: Visit, template: str, *, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        page = self.env.get_template(template).render(
            t=visit.t,
            lang=visit.language,
            user=visit.user,
            csrf_field=csrf.FIELD,
            csrf_token=visit.csrf_token,
            path=visit.request.url.path,
            **context,
        )
        response = HTMLResponse(page, status_code=status_code, headers=PAGE_HEADERS)
        response.headers["content-language"] = visit.language
        self.keep_binding(visit, response)
        return response

    def redirect(self, visit: Visit, to: str) -> RedirectResponse:
        """See other: after a form has done its work (POST, redirect, GET)."""
        response = RedirectResponse(to, status_code=303, headers={"cache-control": "no-store"})
        self.keep_binding(visit, response)
        return response

    def keep_binding(self, visit: Visit, response: Any) -> None:
        """A first visit gets the cookie its forms' CSRF tokens are bound to."""
        if visit.new_binding:
            self.set_cookie(response, csrf.VISITOR_COOKIE, visit.binding, max_age=YEAR_S)

    def set_cookie(self, response: Any, name: str, value: str, *, max_age: int) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies,
        )

    def forget_cookie(self, response: Any, name: str) -> None:
        response.delete_cookie(
            name, path="/", httponly=True, samesite="lax", secure=self.secure_cookies
        )
