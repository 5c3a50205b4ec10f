"""The EPCIS REST binding's exceptions as problem documents (its `type` names the exception,
e.g. `epcisException:QueryParameterException`), and its standard response headers."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from qgov_shared.http.problems import ProblemException
from qgov_traceability.epcis.query import QueryParameterError
from qgov_traceability.handlers.capture import EpcisRefusal

VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def epcis_problem(status: int, exception: str, detail: str, **extra: Any) -> ProblemException:
    return ProblemException(status, detail, type_=f"epcisException:{exception}", **extra)


def refused(error: EpcisRefusal) -> ProblemException:
    return epcis_problem(error.status, error.exception, error.detail)


def bad_parameter(error: QueryParameterError) -> ProblemException:
    return epcis_problem(
        400,
        "QueryParameterException",
        str(error),
        errors=[{"parameter": error.parameter, "in": "query", "detail": str(error)}],
    )


def single_values(request: Request) -> dict[str, str]:
    """The query's parameters, each given once (the binding joins several values with |),
    none holding a NUL, which no text column can hold (the shared check of query parameters
    sees only those a route declares, and these are read by name from the query)."""
    params = request.query_params
    if repeated := sorted({k for k in params if len(params.getlist(k)) > 1}):
        raise bad_parameter(QueryParameterError(repeated[0], "give each parameter once"))
    if with_nul := sorted(k for k, value in params.items() if "\x00" in value):
        raise bad_parameter(QueryParameterError(with_nul[0], "must not contain NUL characters"))
    return dict(params)


def declared(status: int, description: str) -> dict[int, dict[str, str]]:
    return {status: {"description": description}}
