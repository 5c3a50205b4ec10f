"""A citizen's check of an inspection draw (双随机), done here and not taken on trust: the
revealed seed against the commitment published before the draw, the frozen candidate list
against its published hash, and the drawn enterprises and their inspectors computed again
from them by the procedure the inspections service publishes (its README, "Verifying a
draw"): HMAC-SHA256 keyed with the seed's text; per grade, candidates ordered by
(HMAC("enterprise:" + code), code) and the first ceil(ratio × count) drawn; per drawn
enterprise, inspectors taken from the sorted pool by HMAC("inspector:" + code + ":" + j),
skipping the biased tail, the excluded pairs and repeats. Pure: documents in, findings out."""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Verification:
    seed_matches: bool  # SHA-256 of the revealed seed is the commitment
    list_matches: bool  # SHA-256 of the candidate list is its published hash
    list_in_order: bool
    enterprises_match: bool
    teams_match: bool
    recomputed: dict[str, list[str]]  # each drawn enterprise's inspectors, as computed here

    @property
    def holds(self) -> bool:
        return all(
            (
                self.seed_matches,
                self.list_matches,
                self.list_in_order,
                self.enterprises_match,
                self.teams_match,
            )
        )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(record: Mapping[str, Any], candidates_text: str) -> Verification:
    seed = str(record["seed"])
    lines = [line.split(",", 1) for line in candidates_text.splitlines() if line]
    codes = [line[0] for line in lines]
    key = seed.encode("utf-8")

    def mac(message: str) -> bytes:
        return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()

    drawn = _drawn(lines, record["ratios"], mac)
    teams = _teams(drawn, record, mac)
    published = {item["credit_code"]: list(item["inspectors"]) for item in record["drawn"]}
    return Verification(
        seed_matches=_sha256(seed) == record["seed_hash"],
        list_matches=_sha256(candidates_text) == record["candidates_hash"],
        list_in_order=codes == sorted(codes) and len(codes) == record["candidate_count"],
        enterprises_match=sorted(published) == drawn,
        teams_match=teams == published,
        recomputed=teams,
    )


def _drawn(lines: Sequence[list[str]], ratios: Mapping[str, str], mac) -> list[str]:
    drawn: list[str] = []
    for grade in GRADES:
        members = [line[0] for line in lines if len(line) == 2 and line[1] == grade]
        share = math.ceil(Fraction(str(ratios.get(grade, "0"))) * len(members))
        drawn += sorted(members, key=lambda code: (mac(f"enterprise:{code}"), code))[:share]
    return sorted(drawn)


def _teams(drawn: Sequence[str], record: Mapping[str, Any], mac) -> dict[str, list[str]]:
    pool = sorted(record["inspector_pool"])
    wanted = int(record["inspectors_per_check"])
    excluded = {(item["badge_number"], item["credit_code"]) for item in record["exclusions"]}
    if not pool:
        return {code: [] for code in drawn}
    limit = 2**64 - 2**64 % len(pool)
    teams: dict[str, list[str]] = {}
    for code in drawn:
        free = [badge for badge in pool if (badge, code) not in excluded]
        team: list[str] = []
        j = 0
        while len(team) < min(wanted, len(free)):
            x = int.from_bytes(mac(f"inspector:{code}:{j}")[:8], "big")
            j += 1
            if x >= limit:
                continue
            badge = pool[x % len(pool)]
            if (badge, code) not in excluded and badge not in team:
                team.append(badge)
        teams[code] = team
    return teams
