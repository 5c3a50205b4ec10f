"""RFC 9457 problem details for every error a QGov API returns.

Validation failures are 422 with one entry per bad field in `errors`, each naming the field by
JSON pointer into the body (`#/respondent/credit_code`) or by parameter name for query, path
and header values.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from qgov_shared.db import is_infrastructure_failure
from qgov_shared.errors import NotFound, RuleViolation

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
# How long a client should wait before it tries again when the database is out of reach: a
# restart or a failover takes seconds.
DATABASE_RETRY_AFTER_S = 2


class ProblemException(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type_: str = "about:blank",
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or HTTPStatus(status).phrase
        self.type = type_
        self.errors = errors
        self.headers = headers
        self.extensions = extensions


def field_error(pointer: str, detail: str) -> dict[str, str]:
    """One bad body field, by JSON pointer (`#/a/b`)."""
    return {"pointer": pointer, "detail": detail}


def problem_response(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    type_: str = "about:blank",
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body.update(extensions)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's error list, one problem entry per field."""
    return [_one_validation_error(error) for error in errors]


def _one_validation_error(error: dict[str, Any]) -> dict[str, Any]:
    location, *path = error.get("loc", ("body",))
    detail = error.get("msg", "invalid value")
    if location == "body":
        return field_error(json_pointer(path), detail)
    name = str(path[0]) if path else str(location)
    return {
        "parameter" if location != "header" else "header": name,
        "in": location,
        "detail": detail,
    }


def json_pointer(path: list[Any] | tuple[Any, ...]) -> str:
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in path)
    return "#/" + "/".join(escaped) if path else "#"


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemException, _on_problem)
    app.add_exception_handler(RuleViolation, _on_rule_violation)
    app.add_exception_handler(NotFound, _on_not_found)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(Exception, _on_unexpected)


async def _on_problem(request: Request, exc: ProblemException) -> JSONResponse:
    return problem_response(
        exc.status,
        exc.detail,
        title=exc.title,
        type_=exc.type,
        instance=request.url.path,
        errors=exc.errors,
        headers=exc.headers,
        **exc.extensions,
    )


async def _on_rule_violation(request: Request, error: RuleViolation) -> JSONResponse:
    if error.field is None:
        return problem_response(409, str(error), instance=request.url.path)
    pointer = json_pointer(error.field.split("."))
    return problem_response(
        422, str(error), instance=request.url.path, errors=[field_error(pointer, str(error))]
    )


async def _on_not_found(request: Request, error: NotFound) -> JSONResponse:
    return problem_response(404, f"No such {error.what}.", instance=request.url.path)


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    return problem_response(
        422,
        "The request has invalid fields; see `errors`.",
        instance=request.url.path,
        errors=validation_errors(list(exc.errors())),
    )


async def _on_http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code, detail, instance=request.url.path, headers=getattr(exc, "headers", None)
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if is_infrastructure_failure(exc):
        # Nothing was committed (or, if the commit's answer was lost, the Idempotency-Key
        # replays it): the client may safely try again.
        log.warning("database unreachable on %s %s: %r", request.method, request.url.path, exc)
        return problem_response(
            503,
            "The service cannot reach its database just now; try again shortly.",
            instance=request.url.path,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(500, "An unexpected error occurred.", instance=request.url.path)
