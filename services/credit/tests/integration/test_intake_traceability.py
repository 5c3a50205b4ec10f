"""Recalls from the traceability service become credit records through the `credit.intake`
group, with both services running: a voluntary recall (recall_voluntary) and one a regulator
ordered (recall_ordered) count from the day each began; certificates and a recall's progress
and closure are logged and score nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from qgov_credit.models import IntakeEntry
from qgov_shared.testing.clock import TestClock
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.stack import TestStack, run_service, wait_for
from qgov_shared.testing.tokens import bearer
from qgov_traceability import SERVICE as TRACEABILITY
from qgov_traceability.main import TraceabilitySettings
from qgov_traceability.main import create_app as create_traceability_app

from .conftest import KEYS, TODAY, listening_office

RECALL = {
    "defect": "电源适配器绝缘不良",
    "hazard": "可能导致触电",
    "measures": "免费更换适配器",
    "contact": "400-000-0000",
}


async def test_recalls_count_in_the_producers_credit_file(stack: TestStack, clock: TestClock):
    producer = credit_code(41)
    firm = bearer(KEYS.mint("enterprise", sub="firm", credit_code=producer))
    regulator = bearer(KEYS.mint("regulator", sub="reg", regions=["440200"]))
    traceability_app = lambda s: create_traceability_app(s, clock=clock)  # noqa: E731
    async with run_service(stack, TRACEABILITY, traceability_app, TraceabilitySettings) as trace:
        trace.app.state.token_verifier = KEYS.verifier()
        prefix = trace.settings.kafka_topic_prefix
        async with listening_office(stack, clock, prefix=prefix) as credit:
            client = trace.client
            registered = await client.post(
                "/api/v1/traceability/company-prefixes",
                json={
                    "credit_code": producer,
                    "company_prefix": "6905555",
                    "enterprise_name": "韶关某电器有限公司",
                },
                headers=regulator,
            )
            assert registered.status_code == 201, registered.text
            lot = "urn:epc:class:lgtin:6905555.012345.B1"
            certified = await client.post(
                "/api/v1/traceability/certificates",
                json={
                    "lot": lot,
                    "product_name": "电源适配器",
                    "quantity": "1000",
                    "unit": "件",
                    "production_place": "广东省韶关市",
                    "commitment_basis": "internal_control",
                },
                headers=firm,
            )
            assert certified.status_code == 201, certified.text
            deadline = (TODAY + timedelta(days=90)).isoformat()
            voluntary = await client.post(
                "/api/v1/recalls",
                json={**RECALL, "scope": {"lots": [lot]}, "deadline": deadline},
                headers=firm,
            )
            assert voluntary.status_code == 201, voluntary.text
            clock.today(TODAY + timedelta(days=2))
            ordered = await client.post(
                "/api/v1/recalls",
                json={
                    **RECALL,
                    "credit_code": producer,
                    "scope": {"lots": [lot]},
                    "deadline": deadline,
                },
                headers=regulator,
            )
            assert ordered.status_code == 201, ordered.text

            async def both_counted() -> bool:
                file = await credit.file(producer)
                return file.status_code == 200 and len(file.json()["records"]) == 2

            await wait_for(both_counted, what="both recalls in the credit file")
            shown = await credit.file_ok(producer)
            kinds = {r["kind"]: r["effective_on"] for r in shown["records"]}
            assert kinds == {
                "recall_voluntary": TODAY.isoformat(),
                "recall_ordered": (TODAY + timedelta(days=2)).isoformat(),
            }
            assert (shown["name"], shown["score"], shown["grade"]) == (
                "韶关某电器有限公司",
                82,
                "B",
            )

            async def certificate_logged() -> bool:
                async with credit.svc.runtime.session_factory() as session:
                    outcomes = await session.scalars(
                        select(IntakeEntry.outcome).where(
                            IntakeEntry.event_type
                            == "qgov.traceability.trace.certificate_issued.v1"
                        )
                    )
                    return list(outcomes) == ["no_rule"]

            await wait_for(certificate_logged, what="the certificate in the intake log")
