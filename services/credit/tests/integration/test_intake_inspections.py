"""Final inspection results from the inspections service become credit records through the
`credit.intake` group, once each: a failure (inspection_failed) lowers the score on the day
the result became final and here moves the grade from A to B, a pass (inspection_passed)
counts too, and the inspections service, reading credit's grade changes, sees the new grade."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from qgov_credit.models import IntakeEntry
from qgov_inspections import SERVICE as INSPECTIONS
from qgov_inspections.draw import commitment
from qgov_inspections.main import InspectionsSettings, finalise
from qgov_inspections.main import create_app as create_inspections_app
from qgov_shared.envelope import CloudEvent
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import published_events
from qgov_shared.testing.stack import RunningService, TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS, TODAY, Office, complaint_event, listening_office

API = "/api/v1/inspections"
RESULT_FINAL = "qgov.inspections.inspection.result_final.v1"
SEED = "3c" * 32


class Inspections:
    """The inspections service driven through its API by a regulator and its laboratories."""

    def __init__(self, svc: RunningService) -> None:
        self.svc = svc
        self.regulator = bearer(KEYS.mint("regulator", sub="reg", regions=["440200"]))
        self.keys: dict[int, str] = {}

    async def ok(self, method: str, path: str, headers=None, **kwargs):
        response = await self.svc.client.request(
            method, f"{API}{path}", headers=headers or self.regulator, **kwargs
        )
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def drawn(self, makers: list[str]) -> list[dict]:
        """Every maker drawn in one campaign (ratio 1), the rosters registered first."""
        for n in range(2):
            lab = await self.ok(
                "POST", "/laboratories", json={"name": f"检验院{n}", "accreditation_number": "CMA"}
            )
            self.keys[lab["id"]] = lab["access_key"]
            badge = {"name": f"检查员{n}", "badge_number": f"SG-{n}", "region_code": "440200"}
            await self.ok("POST", "/inspectors", json=badge)
        entries = [{"credit_code": c, "name": "韶关玩具厂", "categories": ["toys"]} for c in makers]
        await self.ok("POST", "/directory", json={"enterprises": entries})
        campaign = await self.ok(
            "POST",
            "/campaigns",
            json={
                "title": "玩具产品质量监督抽查",
                "region_codes": ["440200"],
                "categories": ["toys"],
                "period_start": TODAY.isoformat(),
                "period_end": (TODAY + timedelta(days=60)).isoformat(),
                "ratios": {"A": "1"},
                "laboratory_ids": list(self.keys),
                "seed_hash": commitment(SEED),
            },
        )
        await self.ok("POST", f"/campaigns/{campaign['id']}/draw", json={"seed": SEED})
        page = await self.ok("GET", f"/campaigns/{campaign['id']}/inspections")
        return page["items"]

    async def tested(self, inspection: dict, result: dict) -> None:
        shown = await self.ok("GET", f"/{inspection['inspection_id']}")
        sample = {
            "product_name": "儿童积木",
            "lot": "20261101",
            "quantity": "12 盒",
            "place": "成品仓库",
            "sampled_at": f"{TODAY.isoformat()}T10:00:00+08:00",
            "inspectors": shown["team"],
            "standard_numbers": ["GB 6675.1-2014"],
        }
        sampled = await self.ok("POST", f"/{inspection['inspection_id']}/sample", json=sample)
        [held] = sampled["samples"]
        await self.ok(
            "POST",
            f"/laboratory/samples/{held['blind_code']}/result",
            headers={"X-Laboratory-Key": self.keys[held["laboratory_id"]]},
            json={**result, "tested_on": TODAY.isoformat()},
        )

    async def grade_of(self, code: str) -> tuple[str, bool]:
        [entry] = [
            e for e in (await self.ok("GET", "/directory"))["items"] if e["credit_code"] == code
        ]
        return entry["grade"], entry["graded"]


async def test_final_results_reach_credit_once_and_change_the_grade(
    stack: TestStack, clock: TestClock, contracts
):
    failing, passing = credit_code(41), credit_code(42)
    app = lambda s: create_inspections_app(s, clock=clock)  # noqa: E731
    async with run_service(stack, INSPECTIONS, app, InspectionsSettings) as svc:
        svc.app.state.token_verifier = KEYS.verifier()
        inspections = Inspections(svc)
        prefix = svc.settings.kafka_topic_prefix
        async with listening_office(stack, clock, prefix=prefix) as credit:
            await svc.consumers_assigned()
            # A quality accident first: 90 points, still grade A.
            await credit.entered(failing, "quality_accident")
            first, second = sorted(
                await inspections.drawn([failing, passing]), key=lambda i: i["credit_code"]
            )
            failed = {
                "outcome": "failed",
                "failing_indicators": [
                    {"name": "可迁移元素 铅", "measured": "120", "unit": "mg/kg"}
                ],
                "findings": [],
            }
            await inspections.tested(first, failed)
            await inspections.tested(second, {"outcome": "passed"})
            clock.today(TODAY + timedelta(days=16))  # the objection period is over
            assert await finalise(svc.runtime, svc.app.state.dependencies) == 1
            assert await finalise(svc.runtime, svc.app.state.dependencies) == 0

            async def counted() -> bool:
                file = await credit.file(failing)
                return (
                    len(file.json()["records"]) == 2
                    and (await credit.file(passing)).status_code == 200
                )

            await wait_for(counted, what="both results in the credit files")
            shown = await credit.file_ok(failing)
            kinds = {r["kind"]: date.fromisoformat(r["effective_on"]) for r in shown["records"]}
            assert kinds == {"quality_accident": TODAY, "inspection_failed": clock().date()}
            assert (shown["score"], shown["grade"]) == (80, "B")
            [passed] = (await credit.file_ok(passing))["records"]
            assert passed["kind"] == "inspection_passed"
            assert await _recorded(credit) == 2

            await _deliver_again(credit, await _results(svc, failing))
            assert len((await credit.file_ok(failing))["records"]) == 2
            assert await _recorded(credit) == 2
            for change in await credit.grade_changes(failing):
                contracts.check(change)

            async def seen() -> bool:
                return await inspections.grade_of(failing) == ("B", True)

            await wait_for(seen, what="the inspections service to see grade B")


async def _results(svc: RunningService, code: str) -> list[CloudEvent]:
    return [
        CloudEvent.model_validate(e)
        for e in await published_events(svc.runtime.engine)
        if e["type"] == RESULT_FINAL and e["subject"] == code
    ]


async def _deliver_again(credit: Office, events: list[CloudEvent]) -> None:
    """The same result once more, then a marker behind it on the same partition: once the
    marker is in the intake log, the repeat has been seen (and skipped)."""
    [event] = events
    marker = complaint_event("qgov.complaints.complaint.accepted.v1", subject=event.subject)
    await credit.produce(event)
    await credit.produce(marker)
    await credit.handled(marker.id)


async def _recorded(credit: Office) -> int:
    async with credit.svc.runtime.session_factory() as session:
        rows = await session.scalars(
            select(IntakeEntry).where(IntakeEntry.event_type == RESULT_FINAL)
        )
        return sum(row.outcome == "recorded" for row in rows)
