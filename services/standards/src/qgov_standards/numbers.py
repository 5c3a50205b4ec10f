"""Standard numbers (标准编号), parsed and normalised: one canonical spelling is stored whatever
was typed (full-width characters, spaces, en and em dashes, lower case).

    mandatory national    GB 2763-2021          industry        QB/T 1234-2020, YY 0505-2012
    recommended national  GB/T 19580-2012       local           DB44/T 1234-2020, DB44/ 123-2015
    guidance national     GB/Z 20000-2020       group           T/CAS 123-2021
                                                enterprise      Q/ABC 0001S-2020

A number is a code (who issued it, and whether it is recommended: `/T`), a sequence number
(`4806.7`: a standard and its part) and the year of its edition. The year may be left out when
naming a standard in general ("GB 2763", every edition); `base` is that form of any number.
Pure: no I/O; the industry codes come from the policy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

EXPECTED = (
    "expected a standard number such as GB 2763-2021, GB/T 19580-2012, GB/Z 20000-2020, "
    "QB/T 1234-2020, DB44/T 1234-2020, T/CAS 123-2021 or Q/ABC 0001S-2020"
)
PROVINCES = frozenset(
    {*map(str, range(11, 16)), *map(str, range(21, 24)), *map(str, range(31, 38))}
    | {*map(str, range(41, 47)), *map(str, range(50, 55)), *map(str, range(61, 66))}
)
"""GB/T 2260 province-level codes, the two digits after DB in a local standard's code."""
FIRST_YEAR, LAST_YEAR = 1950, 2099
MAX_LENGTH = 64
"""The longest canonical number kept (a sequence of many parts could run on)."""
# Dashes people type between sequence and year, and 一 (the numeral one), which Chinese
# documents often set in place of a dash: all mean "-".
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63一"), "-")
_SEQUENCE = r"[0-9]+(?:\.[0-9]+)*"
_YEAR = r"(?:-(?P<year>[0-9]+))?"
_NATIONAL = re.compile(rf"^GB(?P<mark>/[TZ])?(?P<seq>{_SEQUENCE}){_YEAR}$")
_LOCAL = re.compile(
    rf"^DB(?P<region>[0-9]{{2}}|[0-9]{{4}})(?P<mark>/T|/)?(?P<seq>{_SEQUENCE}){_YEAR}$"
)
_INDUSTRY = re.compile(rf"^(?P<issuer>[A-Z]{{2}})(?P<mark>/T)?(?P<seq>{_SEQUENCE}){_YEAR}$")
# A group's or an enterprise's own code may hold digits, and an enterprise's sequence a letter
# (S: a food safety enterprise standard), so these two are read from the spaced form, where a
# space may part the code from the sequence.
_GROUP = re.compile(rf"^T/(?P<issuer>[A-Z][A-Z0-9]{{1,11}}?) ?(?P<seq>{_SEQUENCE}){_YEAR}$")
_ENTERPRISE = re.compile(
    rf"^Q/(?P<issuer>[A-Z0-9]{{1,20}}?) ?(?P<seq>[0-9]+[A-Z]?(?:\.[0-9]+)*){_YEAR}$"
)


class Kind(StrEnum):
    MANDATORY_NATIONAL = "mandatory_national"
    RECOMMENDED_NATIONAL = "recommended_national"
    GUIDANCE_NATIONAL = "guidance_national"
    INDUSTRY = "industry"
    LOCAL = "local"
    GROUP = "group"
    ENTERPRISE = "enterprise"


class InvalidStandardNumber(ValueError):
    """A text that is not a standard number; the message says what was expected."""


@dataclass(frozen=True)
class StandardNumber:
    code: str  # "GB", "GB/T", "QB/T", "DB44/T", "DB44/", "T/CAS", "Q/ABC"
    sequence: str
    year: int | None
    kind: Kind

    @property
    def base(self) -> str:
        """The number without its year: every edition of the standard."""
        return f"{self.code} {self.sequence}"

    @property
    def canonical(self) -> str:
        return self.base if self.year is None else f"{self.base}-{self.year}"

    @property
    def mandatory(self) -> bool:
        """Mandatory national standards, and the older mandatory industry and local ones."""
        if self.kind in (Kind.INDUSTRY, Kind.LOCAL):
            return not self.code.endswith("/T")
        return self.kind is Kind.MANDATORY_NATIONAL

    def __str__(self) -> str:
        return self.canonical


def normalise(text: str) -> str:
    """Half-width, upper case, one kind of dash, single spaces, no space around / or -."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).upper()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ?([/-]) ?", r"\1", text)


def parse_standard_number(
    text: str, industry_codes: Collection[str], *, year_required: bool = False
) -> StandardNumber:
    """The number `text` spells, in canonical form, or `InvalidStandardNumber` saying why."""
    spaced = normalise(text)
    compact = spaced.replace(" ", "")
    if not compact:
        raise InvalidStandardNumber(f"empty; {EXPECTED}")
    if match := _NATIONAL.match(compact):
        number = _national(match)
    elif match := _LOCAL.match(compact):
        number = _local(match)
    elif spaced.startswith("T/"):
        number = _issued(_GROUP, spaced, "T/", Kind.GROUP, "a group's code", "T/CAS 123-2021")
    elif spaced.startswith("Q/"):
        example = "Q/ABC 0001S-2020"
        number = _issued(_ENTERPRISE, spaced, "Q/", Kind.ENTERPRISE, "its own code", example)
    elif match := _INDUSTRY.match(compact):
        number = _industry(match, industry_codes)
    else:
        raise InvalidStandardNumber(f"{spaced!r} is not a standard number; {EXPECTED}")
    if number.year is None and year_required:
        raise InvalidStandardNumber(f"{number.base}: the year of the edition is missing")
    if len(number.canonical) > MAX_LENGTH:
        raise InvalidStandardNumber(f"longer than {MAX_LENGTH} characters; {EXPECTED}")
    return number


def is_standard_number(text: str, industry_codes: Collection[str]) -> bool:
    try:
        parse_standard_number(text, industry_codes)
    except InvalidStandardNumber:
        return False
    return True


def _national(match: re.Match[str]) -> StandardNumber:
    mark = match["mark"] or ""
    kind = {"": Kind.MANDATORY_NATIONAL, "/T": Kind.RECOMMENDED_NATIONAL}.get(
        mark, Kind.GUIDANCE_NATIONAL
    )
    return StandardNumber(f"GB{mark}", match["seq"], _year(match["year"]), kind)


def _local(match: re.Match[str]) -> StandardNumber:
    region = match["region"]
    if region[:2] not in PROVINCES:
        raise InvalidStandardNumber(
            f"DB{region}: {region[:2]} is not a province code (GB/T 2260), as in DB44/T 1234-2020"
        )
    code = f"DB{region}{match['mark'] or '/'}"
    return StandardNumber(code, match["seq"], _year(match["year"]), Kind.LOCAL)


def _issued(
    pattern: re.Pattern[str], spaced: str, prefix: str, kind: Kind, issuer: str, example: str
) -> StandardNumber:
    """A group's or an enterprise's standard: its prefix, the issuer's code, the rest."""
    match = pattern.match(spaced)
    if match is None:
        raise InvalidStandardNumber(
            f"{spaced!r}: expected {prefix}, {issuer}, a sequence number and the year, "
            f"as in {example}"
        )
    return StandardNumber(f"{prefix}{match['issuer']}", match["seq"], _year(match["year"]), kind)


def _industry(match: re.Match[str], industry_codes: Collection[str]) -> StandardNumber:
    issuer = match["issuer"]
    if issuer not in industry_codes:
        raise InvalidStandardNumber(f"{issuer} is not an industry standard code; {EXPECTED}")
    code = f"{issuer}{match['mark'] or ''}"
    return StandardNumber(code, match["seq"], _year(match["year"]), Kind.INDUSTRY)


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    if len(text) != 4 or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise InvalidStandardNumber(
            f"{text!r} is not the year of an edition: four digits, {FIRST_YEAR} to {LAST_YEAR}"
        )
    return int(text)
