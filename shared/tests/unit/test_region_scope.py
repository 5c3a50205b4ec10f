"""Region scope compiles to the index-friendly SQL, one term per region level."""

from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql

from qgov_shared.region_scope import in_regions, in_regions_or_everywhere

ROWS = Table("rows", MetaData(), Column("region_code", String(6)))


def sql(condition) -> str:
    query = select(ROWS.c.region_code).where(condition)
    compiled = query.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return str(compiled).split("WHERE ", 1)[1]


def test_each_level_is_a_left_of_its_own_width_and_a_county_an_equality() -> None:
    condition = in_regions(ROWS.c.region_code, ["440000", "440200", "440203"])

    assert sql(condition) == (
        "left(rows.region_code, 2) = '44' OR left(rows.region_code, 4) = '4402' "
        "OR rows.region_code = '440203'"
    )


def test_no_scope_is_nothing_unless_it_means_everywhere() -> None:
    assert sql(in_regions(ROWS.c.region_code, [])) == "false"
    assert sql(in_regions_or_everywhere(ROWS.c.region_code, [])) == "true"
    assert sql(in_regions_or_everywhere(ROWS.c.region_code, ["440200"])) == (
        "left(rows.region_code, 4) = '4402'"
    )
