"""The draw (双随机, the policy's `double_random` rule): which enterprises of a campaign's frozen
candidate list are inspected, and which inspectors inspect each, from the seed the regulator
committed to before. Pure and exact, so anyone can re-run it (the README's procedure):

1. The seed is 64 lower-case hex digits; the commitment published with the campaign is the
   SHA-256 of its ASCII text. Every HMAC below is HMAC-SHA256 keyed with that ASCII text.
2. The candidate list is one line `credit_code,grade\\n` per candidate, in ascending order of
   the credit codes (ASCII); its SHA-256 is published as the list's hash.
3. Each grade's candidates are ordered by (HMAC("enterprise:" + credit_code), credit_code),
   digests compared as bytes; the first ceil(ratio × number of that grade's candidates) are
   drawn, with the campaign's ratio for the grade (0 when it names none).
4. For each drawn enterprise, with P the pool's badge numbers in ascending (ASCII) order and n
   their number, take j = 0, 1, 2, ...: x = the first 8 bytes of
   HMAC("inspector:" + credit_code + ":" + j in decimal) as an unsigned big-endian integer; skip
   it when
   x >= 2^64 - (2^64 mod n) (so every index is as likely); else P[x mod n] joins the team
   unless the conflict rules exclude it for this enterprise (a declared conflict, or its
   previous inspection's team) or it is in the team already; until `inspectors_per_check`
   are drawn. With fewer free inspectors than that, the draw is refused.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from qgov_shared.errors import RuleViolation

GRADES = ("A", "B", "C", "D")
SEED_PATTERN = r"^[0-9a-f]{64}$"
RATIO_PLACES = 4
_by_code = operator.attrgetter("credit_code")
_BLOCK = 64  # SHA-256's block size in bytes


@dataclass(frozen=True, order=True)
class Candidate:
    credit_code: str
    grade: str


class NotEnoughInspectors(RuleViolation):
    def __init__(self, credit_code: str, eligible: int, wanted: int) -> None:
        super().__init__(
            f"only {eligible} inspectors of the pool may inspect {credit_code}; {wanted} are needed"
        )


def commitment(seed: str) -> str:
    """What the regulator publishes before the draw: the SHA-256 of the seed's text."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def candidate_list(candidates: Iterable[Candidate]) -> str:
    """The canonical text of a candidate list, the one its hash is taken of."""
    return "".join([f"{c.credit_code},{c.grade}\n" for c in sorted(candidates, key=_by_code)])


def parse_candidate_list(text: str) -> list[Candidate]:
    return [Candidate(*line.split(",")) for line in text.splitlines()]


def list_hash(text: str) -> str:
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def quota(ratio: Decimal, size: int) -> int:
    """How many of a grade's `size` candidates are drawn: ceil(ratio × size), exactly."""
    return math.ceil(ratio * size)


def check_ratios(ratios: Mapping[str, Decimal]) -> None:
    """Ratios are for known grades, between 0 and 1, with at most four decimal places."""
    for grade, ratio in ratios.items():
        if grade not in GRADES:
            raise RuleViolation(f"{grade!r} is not a credit grade {GRADES}", "ratios")
        exponent = ratio.as_tuple().exponent
        if not ratio.is_finite() or not 0 <= ratio <= 1 or exponent < -RATIO_PLACES:
            raise RuleViolation(
                f"grade {grade}: a ratio is a decimal between 0 and 1, at most 4 places", "ratios"
            )


def draw_enterprises(
    seed: str, candidates: Sequence[Candidate], ratios: Mapping[str, Decimal]
) -> list[Candidate]:
    """The drawn candidates, in credit-code order (step 3)."""
    mac = _Keyed(seed)
    drawn: list[Candidate] = []
    for grade in GRADES:
        members = [c for c in candidates if c.grade == grade]
        wanted = quota(ratios.get(grade, Decimal(0)), len(members))
        if not wanted:
            continue
        # The digest has a fixed length, so digest + code orders by (digest, code).
        ranked = sorted(
            members, key=lambda c: mac(f"enterprise:{c.credit_code}") + c.credit_code.encode()
        )
        drawn += ranked[:wanted]
    return sorted(drawn, key=_by_code)


def excluded_pairs(
    conflicts: Iterable[tuple[str, str]], previous_teams: Mapping[str, Iterable[str]]
) -> set[tuple[str, str]]:
    """The (badge_number, credit_code) pairs the conflict rules keep apart: every declared
    conflict, and each enterprise with the team of its latest earlier inspection (nobody
    inspects the same enterprise in consecutive campaigns)."""
    pairs = set(conflicts)
    pairs |= {(badge, code) for code, team in previous_teams.items() for badge in team}
    return pairs


def draw_inspectors(
    seed: str,
    credit_codes: Iterable[str],
    pool: Collection[str],
    excluded: Collection[tuple[str, str]],
    per_check: int,
) -> dict[str, tuple[str, ...]]:
    """Each drawn enterprise's inspectors by badge number, in the order drawn (step 4);
    `excluded` holds (badge_number, credit_code) pairs."""
    mac = _Keyed(seed)
    badges = sorted(pool)
    members = set(badges)
    limit = 2**64 - 2**64 % len(badges) if badges else 0
    barred: dict[str, set[str]] = {}
    for badge, code in excluded:
        barred.setdefault(code, set()).add(badge)
    teams: dict[str, tuple[str, ...]] = {}
    for code in credit_codes:
        here = barred.get(code, set())
        free = len(members) - len(members & here)
        if free < per_check:
            raise NotEnoughInspectors(code, free, per_check)
        team: list[str] = []
        for j in itertools.count():
            x = int.from_bytes(mac(f"inspector:{code}:{j}")[:8], "big")
            if x >= limit:
                continue
            badge = badges[x % len(badges)]
            if badge not in here and badge not in team:
                team.append(badge)
                if len(team) == per_check:
                    break
        teams[code] = tuple(team)
    return teams


class _Keyed:
    """HMAC-SHA256 under one key (RFC 2104), its padded key hashed once: a draw computes
    one per candidate, and the library's one-shot `hmac.digest` costs several times more."""

    def __init__(self, seed: str) -> None:
        key = seed.encode("ascii")
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def __call__(self, message: str) -> bytes:
        inner = self._inner.copy()
        inner.update(message.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()
