"""Development seeds an empty catalogue with the illustrative sample, through the rules every
entry passes; test and production settings seed nothing."""

from __future__ import annotations

from qgov_shared.auth import Principal, Role
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.stack import TestStack
from qgov_standards.handlers.seeding import load_sample, seed_catalogue

from .conftest import CATALOGUE, Registry, open_registry


async def test_the_sample_is_seeded_once_and_passes_the_rules(registry: Registry):
    sample = load_sample()
    seeder = registry.svc.app.state.dependencies.context(Principal("seed", Role.ADMIN))
    for expected in (len(sample["standards"]), 0):  # the second run finds a catalogue
        async with registry.svc.runtime.unit_of_work() as uow:
            assert await seed_catalogue(sample, uow, seeder) == expected
            await uow.commit()

    listed = {item["number"]: item for item in await registry.listed(CATALOGUE)}
    assert len(listed) == len(sample["standards"])
    assert listed["GB 2762-2017"]["status"] == "withdrawn"
    assert listed["GB 2762-2017"]["replaced_by"] == "GB 2762-2022"
    assert listed["GB 2762-2022"]["mandatory"] is True
    texts = {limit["text"] for limit in listed["GB 18401-2010"]["limits"]}
    assert {"≤ 20 mg/kg", "4.0~7.5 pH", "≥ 3 级"} <= texts
    plan = await registry.client.get("/api/v1/standards/plans/milk_powder")
    assert plan.json()["version"] == 1


async def test_a_service_outside_development_seeds_nothing(stack: TestStack, clock: TestClock):
    async with open_registry(stack, clock) as registry:  # the test kit's settings: "test"
        assert registry.svc.settings.environment == "test"
        assert await registry.listed(CATALOGUE) == []
