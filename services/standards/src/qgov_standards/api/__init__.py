"""The standards API's routes, by concern: `declarations` (enterprises declare; everyone
reads; regulators record checks), `catalogue` (regulators keep it; everyone reads),
`rankings` (plans, rankings, categories) and `search`. Every path is under
/api/v1/standards, where the gateway routes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qgov_shared.http.problems import ProblemException, field_error, json_pointer
from qgov_standards.handlers.checking import Refusal

PREFIX = "/api/v1/standards"


@contextmanager
def each_refusal_named() -> Iterator[None]:
    """A refusal of several inputs at once answers 422 naming every one of them."""
    try:
        yield
    except Refusal as refusal:
        errors = [
            field_error(json_pointer(field.split(".")), message)
            for field, message in refusal.errors
        ]
        raise ProblemException(422, str(refusal), errors=errors) from refusal
