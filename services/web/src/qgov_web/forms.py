"""HTML forms and the platform's JSON, both ways: a form's fields are named after the place
of their value in the API's body (`complainant_name` is `#/complainant/name`), so the body is
built from the form and each field error the platform answers lands beside its field.

The platform validates; the pages add only what is theirs to check (the filer has read the
legal notice). Its messages are put in the visitor's words where they follow a known form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qgov_web.i18n import Translator
from qgov_web.platform import ApiProblem

# One optional group of fields (an agent, a reporter) is left out when all of them are empty.
Spec = Mapping[str, tuple[str, ...]]

COMPLAINT: Spec = {
    "complainant_name": ("complainant", "name"),
    "complainant_phone": ("complainant", "phone"),
    "complainant_address": ("complainant", "address"),
    "complainant_id_number": ("complainant", "id_number"),
    "respondent_name": ("respondent", "name"),
    "respondent_credit_code": ("respondent", "credit_code"),
    "respondent_address": ("respondent", "address"),
    "category": ("category",),
    "region_code": ("region_code",),
    "request": ("request",),
    "facts": ("facts",),
    "amount": ("amount",),
    "incident_on": ("incident_on",),
    "known_harm_on": ("known_harm_on",),
}
REPORT: Spec = {
    "reporter_name": ("reporter", "name"),
    "reporter_phone": ("reporter", "phone"),
    "reporter_address": ("reporter", "address"),
    "respondent_name": ("respondent", "name"),
    "respondent_credit_code": ("respondent", "credit_code"),
    "respondent_address": ("respondent", "address"),
    "category": ("category",),
    "region_code": ("region_code",),
    "facts": ("facts",),
    "incident_on": ("incident_on",),
}
MAX_VALUE_LENGTH = 10_000  # longer than any field the platform takes; it names the limit


@dataclass
class FormState:
    """What a form shows: the values typed, and the errors beside their fields (`""` for the
    form as a whole)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    @property
    def invalid(self) -> bool:
        return bool(self.errors)


def typed(form: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    """The text of each named field as typed, trimmed; files and absent fields are empty."""
    values = {}
    for name in names:
        value = form.get(name)
        values[name] = value.strip()[:MAX_VALUE_LENGTH] if isinstance(value, str) else ""
    return values


def body_of(values: Mapping[str, str], spec: Spec) -> dict[str, Any]:
    """The API body: each non-empty value at its place; an empty value is left out, so the
    platform names a missing required field as missing."""
    body: dict[str, Any] = {}
    for name, place in spec.items():
        value = values.get(name, "")
        if not value:
            continue
        target = body
        for part in place[:-1]:
            target = target.setdefault(part, {})
        target[place[-1]] = value
    return body


def field_name(pointer: str, spec: Spec) -> str:
    """The form field a problem's pointer or parameter names; `""` when none of them does
    (the error is then shown above the form). A whole missing group (`#/complainant`) is
    shown at its first field."""
    parts = tuple(pointer.removeprefix("#/").split("/")) if pointer.startswith("#") else (pointer,)
    for name, place in spec.items():
        if place == parts:
            return name
    for name, place in spec.items():
        if parts and place[: len(parts)] == parts:
            return name
    for name, place in spec.items():  # an item of a field's list (`#/region_codes/1`)
        if parts[: len(place)] == place:
            return name
    return ""


def errors_from(problem: ApiProblem, spec: Spec, t: Translator) -> dict[str, str]:
    errors: dict[str, str] = {}
    for where, detail in problem.by_field().items():
        errors.setdefault(field_name(where, spec), in_words(detail, t))
    if not errors:
        errors[""] = problem.detail
    return errors


_KNOWN = (
    (re.compile(r"^Field required"), "error.required"),
    (re.compile(r"^String should have at least 1 character"), "error.required"),
    (re.compile(r"^String should have at most (?P<limit>\d+) characters?"), "error.too_long"),
    (re.compile(r"^String should match pattern"), "error.format"),
    (re.compile(r"^Input should be a valid date"), "error.date"),
    (re.compile(r"^(Input should be a valid (decimal|number|integer))"), "error.number"),
    (re.compile(r"^Input should be greater than or equal to"), "error.too_small"),
    (re.compile(r"^Input should be less than or equal to"), "error.too_large"),
)


def in_words(detail: str, t: Translator) -> str:
    """The platform's message in the visitor's words when it follows a known form; its own
    message (a rule's explanation) otherwise."""
    for pattern, key in _KNOWN:
        match = pattern.match(detail)
        if match:
            return t(key, **match.groupdict())
    return detail.removeprefix("Value error, ")


def row_fields(group: str, columns: Iterable[str], rows: int) -> dict[str, tuple[str, ...]]:
    """A repeated group of fields (the standards a declaration cites): `group_0_column` is
    `#/group/0/column` in the body, for `rows` rows."""
    return {
        f"{group}_{row}_{column}": (group, str(row), column)
        for row in range(rows)
        for column in columns
    }


def packed_rows(values: dict[str, str], group: str, columns: Sequence[str], rows: int) -> None:
    """The filled rows of a group moved up in order, the empty ones last, so the body's list
    indexes (and the errors pointing at them) are the rows' places on the page."""
    filled = [
        [values.get(f"{group}_{row}_{column}", "") for column in columns]
        for row in range(rows)
        if any(values.get(f"{group}_{row}_{column}") for column in columns)
    ]
    for row in range(rows):
        texts = filled[row] if row < len(filled) else [""] * len(columns)
        for column, text in zip(columns, texts, strict=True):
            values[f"{group}_{row}_{column}"] = text


def with_lists(body: Any) -> Any:
    """A body whose objects keyed 0, 1, 2 … (from `row_fields`) are lists, in that order."""
    if not isinstance(body, dict):
        return body
    if body and all(key.isdigit() for key in body):
        return [with_lists(body[key]) for key in sorted(body, key=int)]
    return {key: with_lists(value) for key, value in body.items()}
