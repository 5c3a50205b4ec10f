"""The brands policy loaded and checked at start: `policy.toml` (the calendar, the scoring
criteria sets, the credit facts that exclude) and one file per award programme in
`programmes/`. A file the service cannot apply stops it, naming the file and the key."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from qgov_brands.programme import (
    BRAND_FLAGS,
    REGION_LEVELS,
    Eligibility,
    Exclusion,
    Level,
    Programme,
    Quotas,
    Review,
    Round,
    Stage,
    StageKind,
    Subject,
)
from qgov_shared.policy import Table, load_toml_policy
from qgov_shared.regions import is_known_region

POLICY_FILE = Path(__file__).with_name("policy.toml")
PROGRAMMES_DIR = Path(__file__).with_name("programmes")
GRADES = frozenset({"A", "B", "C", "D"})
_ONCE = (StageKind.INTAKE, StageKind.ELIGIBILITY, StageKind.SCORING, StageKind.PROPOSAL)


@dataclass(frozen=True)
class Policy:
    version: str
    timezone: ZoneInfo
    criteria: dict[str, dict[str, int]]
    exclusions: dict[str, Exclusion]
    programmes: dict[str, Programme]
    basis: dict[str, str]


@dataclass(frozen=True)
class _Shared:
    criteria: dict[str, dict[str, int]]
    exclusions: dict[str, Exclusion]


def load_policy(path: Path = POLICY_FILE, programmes_dir: Path = PROGRAMMES_DIR) -> Policy:
    policy = load_toml_policy(path, _parse)
    shared = _Shared(policy.criteria, policy.exclusions)
    files = sorted(programmes_dir.glob("*.toml"))
    if not files:
        raise ValueError(f"{programmes_dir}: no programme files (*.toml)")
    programmes = {}
    for file in files:
        programme = load_toml_policy(file, lambda raw, file=file: _programme(raw, file, shared))
        programmes[programme.code] = programme
    return replace(policy, programmes=programmes)


def _parse(raw: Table) -> Policy:
    criteria = {name: _weights(table) for name, table in raw["criteria"].items()}
    exclusions = {name: _exclusion(name, table) for name, table in raw["exclusions"].items()}
    basis = dict(raw["basis"])
    if unknown := sorted(set(basis) - set(criteria)):
        raise ValueError(f"basis: cites criteria sets the policy does not have: {unknown}")
    return Policy(
        version=str(raw["version"]),
        timezone=ZoneInfo(raw["timezone"]),
        criteria=criteria,
        exclusions=exclusions,
        programmes={},
        basis=basis,
    )


def _weights(table: dict[str, Any]) -> dict[str, int]:
    if not table or any(not isinstance(v, int) or v <= 0 for v in table.values()):
        raise ValueError(f"{table.where}: each criterion needs a positive whole number of points")
    return dict(table)


def _exclusion(name: str, table: Table) -> Exclusion:
    records: dict[str, frozenset[str] | None] = {}
    for entry in table["records"]:
        severities = entry.get("severities")
        records[entry["kind"]] = None if severities is None else frozenset(severities)
    return Exclusion(name, table["description"], records)


def _programme(raw: Table, file: Path, shared: _Shared) -> Programme:
    code = raw["code"]
    if code != file.stem:
        raise ValueError(f"code {code!r} must be the file's name ({file.stem})")
    level = Level(raw["level"])
    region_code = raw.get("region_code")
    if (level is Level.NATIONAL) != (region_code is None):
        raise ValueError("region_code: a national programme has none; any other needs one")
    if region_code is not None and not is_known_region(region_code):
        raise ValueError(f"region_code: {region_code!r} is not a GB/T 2260 region")
    subject = Subject(raw["subject"])
    stages = _stages(raw["stages"])
    quotas = _quotas(raw.get("quotas"), stages)
    programme = Programme(
        code=code,
        name=raw["name"],
        level=level,
        region_code=region_code,
        subject=subject,
        rounds=_rounds(raw["rounds"], raw.get("period_years")),
        stages=stages,
        eligibility=_eligibility(raw["eligibility"], subject, shared),
        review=_review(raw["review"], shared),
        quotas=quotas,
        period_years=raw.get("period_years"),
        validity_years=raw.get("validity_years"),
        renewal=bool(raw.get("renewal", False)),
        basis=dict(raw["basis"]),
    )
    if programme.renewal and not programme.validity_years:
        raise ValueError("renewal: a programme re-reviews holders only with validity_years")
    _check_basis(programme)
    return programme


def _stages(tables: list[Table]) -> tuple[Stage, ...]:
    stages = tuple(
        Stage(t["name"], StageKind(t["kind"]), t.get("period_days"), t.get("period_months"))
        for t in tables
    )
    kinds = [stage.kind for stage in stages]
    if len(stages) < 2 or kinds[0] is not StageKind.INTAKE or kinds[-1] is not StageKind.DECISION:
        raise ValueError("stages: the first is of kind intake and the last of kind decision")
    if StageKind.DECISION in kinds[:-1] or StageKind.INTAKE in kinds[1:]:
        raise ValueError("stages: one intake and one decision")
    if len({stage.name for stage in stages}) < len(stages):
        raise ValueError("stages: each stage's name is used once")
    if twice := sorted({str(kind) for kind in _ONCE if kinds.count(kind) > 1}):
        raise ValueError(f"stages: at most one stage of kind {twice}")
    if StageKind.SCORING not in kinds:
        raise ValueError("stages: a programme evaluates in a stage of kind scoring")
    if StageKind.PROPOSAL in kinds and kinds.index(StageKind.PROPOSAL) < kinds.index(
        StageKind.SCORING
    ):
        raise ValueError("stages: the proposal ranks scores, so it comes after the scoring")
    for stage in stages:
        periods = [p for p in (stage.period_days, stage.period_months) if p is not None]
        if (stage.kind is StageKind.NOTICE) != (len(periods) == 1) or any(p < 1 for p in periods):
            raise ValueError(
                f"stages.{stage.name}: a notice stage has one period_days or period_months "
                "of at least 1, and no other stage has one"
            )
    return stages


def _quotas(raw: Table | None, stages: tuple[Stage, ...]) -> Quotas | None:
    proposes = any(stage.kind is StageKind.PROPOSAL for stage in stages)
    if (raw is None) == proposes:
        raise ValueError("quotas: a programme with a proposal stage has quotas, and only it")
    if raw is None:
        return None
    quotas = Quotas(raw["awards"], raw.get("nominations", 0))
    if quotas.awards < 1 or quotas.nominations < 0:
        raise ValueError("quotas: at least one award, and no negative nominations")
    return quotas


def _rounds(tables: list[Table], period_years: int | None) -> dict[str, Round]:
    rounds = [
        Round(str(t["code"]), date.fromisoformat(t["opens_on"]), date.fromisoformat(t["closes_on"]))
        for t in tables
    ]
    if not rounds or len({r.code for r in rounds}) < len(rounds):
        raise ValueError("rounds: at least one, each with a code of its own")
    if bad := [r.code for r in rounds if r.closes_on < r.opens_on]:
        raise ValueError(f"rounds {bad}: a window closes after it opens")
    for earlier, later in pairwise(rounds):
        if later.opens_on <= earlier.closes_on:
            raise ValueError(f"rounds {later.code}: opens after round {earlier.code} closes")
        if period_years and later.opens_on.year - earlier.opens_on.year != period_years:
            raise ValueError(
                f"rounds {later.code}: one round every {period_years} years (period_years)"
            )
    return {r.code: r for r in rounds}


def _eligibility(raw: Table, subject: Subject, shared: _Shared) -> Eligibility:
    name = raw.get("exclusion")
    if name is not None and name not in shared.exclusions:
        raise ValueError(f"eligibility.exclusion: no exclusion {name!r} in policy.toml")
    years = raw.get("exclusion_years", 0)
    if (name is None) != (years == 0) or years < 0:
        raise ValueError("eligibility: an exclusion needs its exclusion_years, and only it")
    grades = frozenset(raw.get("refuse_grades", []))
    if grades - GRADES:
        raise ValueError(f"eligibility.refuse_grades: grades are {sorted(GRADES)}")
    requires = tuple(raw.get("requires", []))
    if unknown := sorted(set(requires) - BRAND_FLAGS):
        raise ValueError(f"eligibility.requires: unknown brand facts {unknown}")
    age = raw.get("min_brand_age_years")
    if (requires or age is not None) and subject is not Subject.BRAND:
        raise ValueError("eligibility: brand requirements need a programme whose subject is brand")
    return Eligibility(
        exclusion=shared.exclusions[name] if name else None,
        exclusion_years=years,
        refuse_listed=bool(raw.get("refuse_listed", False)),
        refuse_grades=grades,
        min_brand_age_years=age,
        requires=requires,
    )


def _review(raw: Table, shared: _Shared) -> Review:
    criteria_set = raw["criteria"]
    if criteria_set not in shared.criteria:
        raise ValueError(f"review.criteria: no criteria set {criteria_set!r} in policy.toml")
    weights = dict(shared.criteria[criteria_set])
    if "weights" in raw:
        if set(raw["weights"]) != set(weights):
            raise ValueError(f"review.weights: weigh exactly the criteria {sorted(weights)}")
        weights = _weights(raw["weights"])
    region = raw.get("forbid_same_region")
    if region is not None and region not in REGION_LEVELS:
        raise ValueError(f"review.forbid_same_region: one of {sorted(REGION_LEVELS)}")
    review = Review(
        criteria_set=criteria_set,
        weights=weights,
        pass_mark=raw["pass_mark"],
        min_reviewers=raw["min_reviewers"],
        trim_from=raw["trim_from"],
        forbid_same_group=bool(raw.get("forbid_same_group", False)),
        forbid_same_region=region,
    )
    if not 0 < review.pass_mark <= review.total:
        raise ValueError(f"review.pass_mark: between 1 and the criteria's {review.total} points")
    if review.min_reviewers < 1 or review.trim_from < 3:
        raise ValueError("review: min_reviewers at least 1, trim_from at least 3")
    return review


def _check_basis(programme: Programme) -> None:
    """The programme and each legal rule it applies cite their provision; nothing else does."""
    needed = {"programme"}
    needed |= {"quotas"} if programme.quotas else set()
    needed |= {"exclusion"} if programme.eligibility.exclusion else set()
    needed |= {"notice"} if any(s.kind is StageKind.NOTICE for s in programme.stages) else set()
    needed |= {"min_brand_age_years"} if programme.eligibility.min_brand_age_years else set()
    needed |= {"validity_years"} if programme.renewal else set()
    cited = {name for name, text in programme.basis.items() if str(text).strip()}
    if uncited := sorted(needed - cited):
        raise ValueError(f"basis: no provision cited for {uncited}")
    if unknown := sorted(set(programme.basis) - needed):
        raise ValueError(f"basis: cites rules the programme does not have: {unknown}")
