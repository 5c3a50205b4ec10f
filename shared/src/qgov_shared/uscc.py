"""The unified social credit code (统一社会信用代码) of GB 32100-2015, and region scopes.

Every enterprise is known by its 18-character code, so every service validates the same way:
`parse_credit_code` for domain code, `CreditCodeStr` for pydantic and FastAPI models.

    position  1      registration authority (登记管理部门代码)
    position  2      entity type within that authority (机构类别代码)
    positions 3–8    administrative region of registration (GB/T 2260)
    positions 9–17   organisation code body (组织机构代码)
    position  18     check character over positions 1–17
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a code may use, in value order; I, O, S, V and Z are left out."""

CODE_LENGTH = 18
WEIGHTS = tuple(pow(3, i, 31) for i in range(CODE_LENGTH - 1))
"""The weight of each of the first 17 positions: 3^i mod 31."""

REGION_CODE_LENGTH = 6

AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商/市场监管",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

ENTITY_TYPES: dict[str, dict[str, str]] = {
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
}
"""Entity type names by authority; only market regulation's are kept, as they are QGov's."""

_VALUES = {character: value for value, character in enumerate(ALPHABET)}


class InvalidCreditCode(ValueError):
    """A text that is not a unified social credit code; `reason` says which rule it breaks."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class CodeName:
    """A code and its name; `name` is None for a code the standard allows but we do not list."""

    code: str
    name: str | None


@dataclass(frozen=True)
class CreditCode:
    """A valid code in canonical form (upper case, no spaces); construction checks it."""

    value: str

    def __post_init__(self) -> None:
        _check(self.value)

    def __str__(self) -> str:
        return self.value

    @property
    def authority(self) -> CodeName:
        code = self.value[0]
        return CodeName(code, AUTHORITIES.get(code))

    @property
    def entity_type(self) -> CodeName:
        code = self.value[1]
        return CodeName(code, ENTITY_TYPES.get(self.value[0], {}).get(code))

    @property
    def region_code(self) -> str:
        return self.value[2:8]

    @property
    def check_character(self) -> str:
        return self.value[17]


def parse_credit_code(text: str) -> CreditCode:
    """Normalise what a person typed and validate it, or raise `InvalidCreditCode`."""
    return CreditCode(_normalise(text))


def is_valid_credit_code(text: str) -> bool:
    try:
        parse_credit_code(text)
    except InvalidCreditCode:
        return False
    return True


def compute_check_character(first17: str) -> str:
    """The check character that completes a 17-character code body."""
    if len(first17) != CODE_LENGTH - 1:
        raise InvalidCreditCode(
            "length", f"a code body has {CODE_LENGTH - 1} characters, got {len(first17)}"
        )
    _check_alphabet(first17)
    return _check_character_for(first17)


def _check_character_for(body: str) -> str:
    total = sum(
        _VALUES[character] * weight for character, weight in zip(body, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def _normalise(text: str) -> str:
    # NFKC folds full-width characters (ＡＢ１２), which Chinese input methods often produce.
    return unicodedata.normalize("NFKC", text).strip().upper()


def _check(value: str) -> None:
    if len(value) != CODE_LENGTH:
        raise InvalidCreditCode(
            "length", f"a unified social credit code has {CODE_LENGTH} characters, got {len(value)}"
        )
    _check_alphabet(value)
    expected = _check_character_for(value[:-1])
    if value[-1] != expected:
        raise InvalidCreditCode(
            "check_character",
            f"the check character should be {expected!r}, not {value[-1]!r}; "
            "the code is probably mistyped",
        )
    # Checked after the check character, so a typo is reported as a typo.
    if not is_region_code(value[2:8]):
        raise InvalidCreditCode(
            "region_code",
            f"positions 3–8 should be a 6-digit region code, not {value[2:8]!r}",
        )


def _check_alphabet(text: str) -> None:
    for position, character in enumerate(text, start=1):
        if character not in _VALUES:
            raise InvalidCreditCode(
                "alphabet",
                f"{character!r} at position {position} is not allowed: codes use digits and "
                "upper-case letters except I, O, S, V and Z",
            )


def _validate_credit_code_str(text: str) -> str:
    try:
        return parse_credit_code(text).value
    except InvalidCreditCode as error:
        raise PydanticCustomError(
            "invalid_credit_code", error.message, {"reason": error.reason}
        ) from error


CreditCodeStr = Annotated[str, AfterValidator(_validate_credit_code_str)]
"""A model field holding a credit code: normalised, or a validation error naming the reason."""


def is_region_code(text: str) -> bool:
    """Whether `text` has the shape of a GB/T 2260 administrative region code."""
    return len(text) == REGION_CODE_LENGTH and text.isascii() and text.isdigit()


def region_covers(scope: str, region_code: str) -> bool:
    """Whether a regulator responsible for `scope` is responsible for `region_code`.

    GB/T 2260 codes are three two-digit levels: province, prefecture, county. A "00" level
    stands for the whole level above it, so `440000` covers every code starting `44` and
    `440200` every code starting `4402`; `440203` covers only itself. The province is never a
    wildcard, so no code covers the whole country: that is the admin role's job.
    """
    if not is_region_code(region_code):
        raise ValueError(f"{region_code!r} is not a 6-digit region code")
    return region_code.startswith(region_prefix(scope))


def region_prefix(scope: str) -> str:
    """The prefix every code in `scope` starts with (`440200` → `4402`), for queries."""
    if not is_region_code(scope):
        raise ValueError(f"{scope!r} is not a 6-digit region code")
    prefix = scope
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix
