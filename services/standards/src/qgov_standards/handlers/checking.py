"""What a declaration's content must pass before it is published (the policy's `disclosure`,
`mandatory_floor` and `withdrawn_citation` rules): standard numbers in canonical form, the
indicators of an enterprise's own standard disclosed, nothing citing a withdrawn standard and
no indicator worse than a mandatory limit in force. What only a day to come breaks (a limit
not yet in force, a withdrawal announced) does not refuse it: it is flagged."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from qgov_shared.errors import RuleViolation
from qgov_shared.uow import UnitOfWork
from qgov_standards import floor
from qgov_standards.documents import declared_of, indicator_document
from qgov_standards.floor import Failure
from qgov_standards.handlers import Context
from qgov_standards.indicators import name_key
from qgov_standards.numbers import (
    InvalidStandardNumber,
    Kind,
    StandardNumber,
    parse_standard_number,
)
from qgov_standards.policy import Policy
from qgov_standards.queries import catalogue
from qgov_standards.schemas.declarations import DeclarationContent, StandardCited


class Refusal(RuleViolation):
    """Several inputs break a rule at once; `errors` names each (field path, message)."""

    def __init__(self, message: str, errors: list[tuple[str, str]]) -> None:
        super().__init__(message, errors[0][0])
        self.errors = errors


@dataclass(frozen=True)
class Checked:
    """A declaration's content as it is stored, and what will break it on a day to come."""

    standards: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    ahead: list[Failure]


async def check_content(content: DeclarationContent, uow: UnitOfWork, ctx: Context) -> Checked:
    policy = ctx.policy
    check_category(content.category, policy, "category")
    numbers = [_cited(index, cited, policy) for index, cited in enumerate(content.standards)]
    _unique([number.canonical for number in numbers], "standards", "number")
    indicators = [indicator_document(indicator) for indicator in content.indicators]
    _unique([name_key(item["name"]) for item in indicators], "indicators", "name")
    declared = [_declared(index, item) for index, item in enumerate(indicators)]
    if not declared and any(number.kind is Kind.ENTERPRISE for number in numbers):
        raise RuleViolation(
            "an enterprise standard's functional and performance indicators must be disclosed",
            "indicators",
        )
    connection = await uow.connection()
    listed = await catalogue.entries(connection, [number.canonical for number in numbers])
    withdrawn = floor.withdrawn_citations([n.canonical for n in numbers], listed, ctx.today)
    if refused := floor.in_force(withdrawn, ctx.today):
        positions = {number.canonical: index for index, number in enumerate(numbers)}
        _refuse(refused, lambda f: f"standards.{positions[f.standard]}.number")
    limits = await catalogue.limits_for(connection, content.category)
    failed = floor.limits_failed(declared, content.category, limits, policy.units, ctx.today)
    if refused := floor.in_force(failed, ctx.today):
        positions = {name_key(item.name): index for index, item in enumerate(declared)}
        _refuse(refused, lambda f: f"indicators.{positions[name_key(f.indicator or '')]}")
    return Checked(
        standards=[
            _document(number, cited)
            for number, cited in zip(numbers, content.standards, strict=True)
        ],
        indicators=indicators,
        ahead=floor.ahead([*withdrawn, *failed], ctx.today),
    )


def check_category(category: str, policy: Policy, field: str) -> None:
    if category not in policy.categories:
        raise RuleViolation(f"unknown category; one of {', '.join(policy.categories)}", field)


def _cited(index: int, cited: StandardCited, policy: Policy) -> StandardNumber:
    field = f"standards.{index}"
    try:
        number = parse_standard_number(
            cited.number, policy.industry_codes, year_required=cited.year is None
        )
    except InvalidStandardNumber as error:
        raise RuleViolation(str(error), f"{field}.number") from error
    if cited.year is not None:
        if number.year not in (None, cited.year):
            raise RuleViolation(f"the number says {number.year}", f"{field}.year")
        number = replace(number, year=cited.year)
    if cited.kind is not None and cited.kind is not number.kind:
        raise RuleViolation(f"{number} is a {number.kind.value} standard", f"{field}.kind")
    return number


def _declared(index: int, document: dict[str, Any]) -> floor.Declared:
    try:
        return declared_of(document)
    except ValueError as error:
        raise RuleViolation(str(error), f"indicators.{index}") from error


def _unique(keys: list[str], field: str, part: str) -> None:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            raise RuleViolation(f"listed twice: {key}", f"{field}.{index}.{part}")
        seen.add(key)


def _refuse(failures: list[Failure], field: Any) -> None:
    message = "; ".join(failure.message() for failure in failures)
    raise Refusal(
        f"Below the mandatory floor: {message}",
        [(field(failure), failure.message()) for failure in failures],
    )


def _document(number: StandardNumber, cited: StandardCited) -> dict[str, Any]:
    return {
        "number": number.canonical,
        "base": number.base,
        "title": cited.title,
        "year": number.year,
        "kind": number.kind.value,
        "mandatory": number.mandatory,
    }
