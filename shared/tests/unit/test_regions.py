"""GB/T 2260 region codes: provinces, prefectures, municipalities' districts, counties."""

import pytest
from pydantic import BaseModel, ValidationError

from qgov_shared.regions import RegionCodeStr, is_known_region, region_name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("440000", "广东省"),
        ("440200", "广东省韶关市"),
        ("440203", "广东省韶关市武江区"),
        ("110000", "北京市"),
        ("110100", "北京市"),
        ("110101", "北京市东城区"),
        ("350100", "福建省福州市"),
    ],
)
def test_known_codes_are_named(code: str, name: str) -> None:
    assert region_name(code) == name


@pytest.mark.parametrize("code", ["440299", "990000", "000000", "44020", "4402000", "44O200"])
def test_unknown_or_malformed_codes_are_not_regions(code: str) -> None:
    assert not is_known_region(code)


def test_the_pydantic_type_refuses_an_unknown_region() -> None:
    class Filing(BaseModel):
        region_code: RegionCodeStr

    assert Filing(region_code="440203").region_code == "440203"
    with pytest.raises(ValidationError, match="not a region code"):
        Filing(region_code="440299")
