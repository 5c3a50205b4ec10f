"""The shipped policy and programmes, with the numbers of their instruments, and a loader that
refuses, naming the file and the key, a programme it could not apply."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from qgov_brands.domain.dates import add_months
from qgov_brands.policy import POLICY_FILE, PROGRAMMES_DIR, load_policy
from qgov_brands.programme import Level, StageKind
from qgov_shared.policy import PolicyError

POLICY = load_policy()
GB_T_19580 = {
    "leadership": 110,
    "strategy": 90,
    "customers_and_markets": 90,
    "resources": 130,
    "process_management": 100,
    "measurement_analysis_and_improvement": 80,
    "results": 400,
}


def test_the_programmes_of_the_issue_are_shipped_each_citing_its_basis():
    assert sorted(POLICY.programmes) == [
        "china_quality_award",
        "geographical_indication",
        "guangdong_government_quality_award",
        "quality_frontrunner",
        "shaoguan_government_quality_award",
        "time_honoured_brand",
    ]
    assert all(p.basis["programme"].strip() for p in POLICY.programmes.values())
    assert POLICY.basis["performance_excellence"].startswith("GB/T 19580")


def test_the_quality_awards_score_by_gb_t_19580_out_of_1000():
    for code in (
        "china_quality_award",
        "guangdong_government_quality_award",
        "shaoguan_government_quality_award",
    ):
        review = POLICY.programmes[code].review
        assert (review.weights, review.total) == (GB_T_19580, 1000)
        assert (review.min_reviewers, review.trim_from) == (3, 5)


def test_the_china_quality_award_every_two_years_ten_awards_ninety_nominations_five_years():
    cqa = POLICY.programmes["china_quality_award"]
    assert (cqa.level, cqa.region_code, cqa.period_years) == (Level.NATIONAL, None, 2)
    assert (cqa.quotas.awards, cqa.quotas.nominations) == (10, 90)
    assert cqa.eligibility.exclusion_years == 5
    assert cqa.eligibility.exclusion.excludes("quality_accident", "serious")
    assert not cqa.eligibility.exclusion.excludes("quality_accident", "general")
    assert cqa.eligibility.exclusion.excludes("serious_penalty", "serious")
    assert [s.name for s in cqa.stages] == [
        "application",
        "eligibility",
        "material_review",
        "on_site_review",
        "committee",
        "public_notice",
        "decision",
    ]
    assert (cqa.eligibility.refuse_listed, cqa.eligibility.refuse_grades) == (True, {"D"})


def test_a_provincial_award_has_the_same_shape_with_its_own_region_and_quotas():
    guangdong = POLICY.programmes["guangdong_government_quality_award"]
    cqa = POLICY.programmes["china_quality_award"]
    assert (guangdong.level, guangdong.region_code) == (Level.PROVINCIAL, "440000")
    assert [s.kind for s in guangdong.stages] == [s.kind for s in cqa.stages]
    assert guangdong.quotas != cqa.quotas


def test_a_municipal_award_has_the_same_shape_within_its_city():
    shaoguan = POLICY.programmes["shaoguan_government_quality_award"]
    guangdong = POLICY.programmes["guangdong_government_quality_award"]
    assert (shaoguan.level, shaoguan.region_code) == (Level.MUNICIPAL, "440200")
    assert [s.kind for s in shaoguan.stages] == [s.kind for s in guangdong.stages]
    assert (shaoguan.quotas.awards, shaoguan.review.forbid_same_region) == (5, "county")


def test_a_time_honoured_brand_is_fifty_years_old_and_re_reviewed():
    honoured = POLICY.programmes["time_honoured_brand"]
    assert honoured.eligibility.min_brand_age_years == 50
    assert honoured.eligibility.requires == ("time_honoured_candidate",)
    assert (honoured.renewal, honoured.validity_years) == (True, 3)


def test_a_geographical_indication_has_a_two_month_objection_window_before_expert_review():
    indication = POLICY.programmes["geographical_indication"]
    assert [s.name for s in indication.stages] == [
        "application",
        "formal_review",
        "objection_window",
        "expert_technical_review",
        "approval",
    ]
    window = indication.stage("objection_window")
    assert (window.kind, window.period_months) == (StageKind.NOTICE, 2)


def test_the_frontrunner_is_a_certification_without_quotas():
    frontrunner = POLICY.programmes["quality_frontrunner"]
    assert frontrunner.quotas is None
    assert frontrunner.stages[-1].name == "certification"


def test_two_months_from_the_end_of_december_is_the_end_of_february():
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 15), -5) == date(2025, 10, 15)


# --- the loader's refusals --------------------------------------------------------------------


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "programmes"
    shutil.copytree(PROGRAMMES_DIR, folder)
    return folder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("awards = 10\n", "", "missing key quotas.awards"),
        ('kind = "proposal"', 'kind = "review"', "only it"),
        (
            'opens_on = "2027-03-01"\ncloses_on = "2027-05-31"',
            'opens_on = "2028-03-01"\ncloses_on = "2028-05-31"',
            "one round every 2 years",
        ),
        ('criteria = "performance_excellence"', 'criteria = "unknown"', "no criteria set"),
        ("pass_mark = 600", "pass_mark = 1200", "between 1 and the criteria's 1000"),
        ('forbid_same_region = "province"', 'forbid_same_region = "street"', "one of"),
        ('refuse_grades = ["D"]', 'refuse_grades = ["E"]', "grades are"),
        ("period_days = 7", "period_days = 0", "a notice stage has one period"),
        ('quotas = "中国质量奖管理办法', 'quotas_x = "中国质量奖管理办法', "no provision cited"),
        ('code = "china_quality_award"', 'code = "other"', "must be the file's name"),
    ],
    ids=[
        "no award quota",
        "quotas without a proposal",
        "rounds off period",
        "unknown criteria",
        "pass mark above the total",
        "unknown region level",
        "unknown grade",
        "empty notice",
        "uncited quotas",
        "code not the file",
    ],
)
def test_a_programme_the_service_cannot_apply_stops_it_naming_the_file(
    tmp_path: Path, old: str, new: str, message: str
):
    folder = _copy(tmp_path)
    path = folder / "china_quality_award.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(PolicyError) as refused:
        load_policy(POLICY_FILE, folder)

    assert refused.value.path == path
    assert message in str(refused.value)


def test_a_folder_without_programmes_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="no programme files"):
        load_policy(POLICY_FILE, tmp_path)
