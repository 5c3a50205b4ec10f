"""消费投诉信息公示: complaint counts per enterprise over a period, and how mediation ended."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from qgov_complaints.policy import load_policy
from qgov_shared.testing.problems import problem

from .conftest import CODE, NAME, OTHER_CODE, PHONE, THIRD_CODE, Desk, Filed, complaint_body

POLICY = load_policy()
TERMINATION_REASON = next(iter(POLICY.termination_reasons))
ZERO_STATUSES = dict.fromkeys(
    [
        "submitted",
        "accepted",
        "rejected",
        "mediating",
        "mediated",
        "mediation_failed",
        "terminated",
        "closed",
    ],
    0,
)
# The regulator's steps from filing to each end, as (step, body) pairs.
TO_THE_END: dict[str, list[tuple[str, dict | None]]] = {
    "rejected": [("decision", {"decision": "reject", "ground": "outside_duties"})],
    "accepted": [("decision", {"decision": "accept"})],
    "mediating": [("decision", {"decision": "accept"}), ("mediation/start", None)],
    "mediated": [
        ("decision", {"decision": "accept"}),
        ("mediation/start", None),
        ("mediation/outcome", {"outcome": "mediated"}),
    ],
    "closed_mediated": [
        ("decision", {"decision": "accept"}),
        ("mediation/start", None),
        ("mediation/outcome", {"outcome": "mediated"}),
        ("close", None),
    ],
    "closed_failed": [
        ("decision", {"decision": "accept"}),
        ("mediation/outcome", {"outcome": "mediation_failed"}),
        ("close", None),
    ],
    "closed_terminated": [
        ("decision", {"decision": "accept"}),
        ("mediation/outcome", {"outcome": "terminated", "reason": TERMINATION_REASON}),
        ("close", None),
    ],
}


async def complaint(desk: Desk, end: str | None = None, **changes: Any) -> Filed:
    """A complaint against CODE (unless `changes` say otherwise), taken to `end`."""
    filed = await desk.file_complaint(complaint_body(incident_on=None, **changes))
    for step, body in TO_THE_END.get(end, []):
        await desk.step_ok(filed, step, body)
    return filed


def against(code: str, name: str = "某公司") -> dict[str, Any]:
    return {"name": name, "credit_code": code}


async def disclosed(desk: Desk, code: str = CODE, **params: str) -> dict[str, Any]:
    response = await desk.client.get(f"/api/v1/disclosure/enterprises/{code}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_counts_by_status_and_category(desk: Desk):
    desk.today(date(2026, 3, 2))  # the default period is the 12 months to this day
    for end in ("rejected", "accepted", "mediating", "closed_mediated", "closed_failed"):
        await complaint(desk, end)
    await complaint(desk, "closed_terminated", category="food")
    await complaint(desk, category="food")
    await complaint(desk, respondent=against(OTHER_CODE))  # another enterprise
    await desk.file_report()  # reports are confidential, never counted

    shown = await disclosed(desk)

    assert shown["credit_code"] == CODE
    assert shown["period"] == {"from": "2025-03-03", "to": "2026-03-02"}
    assert shown["complaints"] == 7
    assert shown["by_status"] == ZERO_STATUSES | {
        "submitted": 1,
        "rejected": 1,
        "accepted": 1,
        "mediating": 1,
        "closed": 3,
    }
    assert shown["by_category"] == dict.fromkeys(POLICY.categories, 0) | {
        "electronics": 5,
        "food": 2,
    }
    assert (shown["closed"], shown["mediated"]) == (3, 1)
    assert shown["mediation_success_rate"] == pytest.approx(1 / 3, abs=1e-4)


@pytest.mark.parametrize(
    ("ends", "closed", "mediated", "rate"),
    [
        (["closed_mediated"] * 3 + ["closed_failed"], 4, 3, 0.75),
        (["closed_mediated", "closed_terminated"], 2, 1, 0.5),
        (["closed_failed", "closed_terminated"], 2, 0, 0.0),
        (["closed_mediated"], 1, 1, 1.0),
        # agreed but not yet closed, or never mediated: no closed mediation to count
        (["mediated", "rejected", "accepted"], 0, 0, None),
    ],
)
async def test_the_mediation_success_rate_counts_closed_mediations(
    desk: Desk, ends, closed, mediated, rate
):
    for end in ends:
        await complaint(desk, end)

    shown = await disclosed(desk)

    assert (shown["closed"], shown["mediated"], shown["mediation_success_rate"]) == (
        closed,
        mediated,
        rate,
    )


async def test_the_period_leaves_out_complaints_received_outside_it(desk: Desk):
    desk.today(date(2025, 1, 10))
    await complaint(desk, "closed_failed")
    desk.today(date(2025, 3, 3))  # the first day of the default 12 months
    await complaint(desk, "closed_mediated")
    desk.today(date(2026, 3, 2))
    await complaint(desk)

    default = await disclosed(desk)
    assert (default["complaints"], default["mediation_success_rate"]) == (2, 1.0)
    wider = await disclosed(desk, **{"from": "2025-01-01"})
    assert (wider["complaints"], wider["mediation_success_rate"]) == (3, 0.5)
    earlier = await disclosed(desk, **{"from": "2025-01-01", "to": "2025-03-02"})
    assert earlier["period"] == {"from": "2025-01-01", "to": "2025-03-02"}
    assert (earlier["complaints"], earlier["by_status"]["closed"]) == (1, 1)
    one_day = await disclosed(desk, **{"from": "2025-03-03", "to": "2025-03-03"})
    assert one_day["complaints"] == 1


async def test_an_enterprise_without_complaints_gets_zeros(desk: Desk):
    await complaint(desk, "closed_mediated")

    shown = await disclosed(desk, THIRD_CODE)

    assert shown["credit_code"] == THIRD_CODE
    assert shown["complaints"] == 0
    assert shown["by_status"] == ZERO_STATUSES
    assert set(shown["by_category"].values()) == {0}
    assert (shown["closed"], shown["mediated"], shown["mediation_success_rate"]) == (0, 0, None)


async def test_the_code_is_normalised_and_no_personal_data_is_shown(desk: Desk):
    await complaint(desk, "closed_mediated")

    shown = await disclosed(desk, CODE.lower())

    assert (shown["credit_code"], shown["complaints"]) == (CODE, 1)
    text = json.dumps(shown, ensure_ascii=False)
    assert NAME not in text
    assert PHONE not in text


@pytest.mark.parametrize("code", ["91350100M000100Y44", "9135010", "91350100M000100YO3"])
async def test_an_invalid_credit_code_is_a_422_naming_it(desk: Desk, code):
    response = await desk.client.get(f"/api/v1/disclosure/enterprises/{code}")

    [error] = problem(response, 422)["errors"]
    assert (error["parameter"], error["in"]) == ("credit_code", "path")


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2023-03-01", "to": "2026-03-02"},  # a day more than 3 years
        {"from": "2026-03-02", "to": "2026-03-01"},
    ],
)
async def test_an_invalid_period_is_a_422_naming_from(desk: Desk, params):
    response = await desk.client.get(f"/api/v1/disclosure/enterprises/{CODE}", params=params)

    [error] = problem(response, 422)["errors"]
    assert error["parameter"] == "from"


async def test_three_years_is_the_longest_period(desk: Desk):
    shown = await disclosed(desk, **{"from": "2023-03-02", "to": "2026-03-02"})

    assert shown["period"] == {"from": "2023-03-02", "to": "2026-03-02"}


async def test_a_malformed_date_is_a_422_naming_it(desk: Desk):
    response = await desk.client.get(
        f"/api/v1/disclosure/enterprises/{CODE}", params={"to": "2026-02-30"}
    )

    [error] = problem(response, 422)["errors"]
    assert (error["parameter"], error["in"]) == ("to", "query")
