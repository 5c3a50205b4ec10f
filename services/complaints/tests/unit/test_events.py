"""Every complaints event type the contracts declare has its model; the models' vocabularies
are the policy's and the domain's; and the schemas made from them refuse what consumers must
never see: a malformed tracking number, region or credit code, an unknown kind or ground, a
date that is not one, an amount not in yuan and fen, a field no one declared."""

from __future__ import annotations

import json
import re
import typing
from datetime import UTC, datetime

import pytest

from qgov_complaints import SERVICE
from qgov_complaints.domain import MEDIATION_ENDED, Deadline, Status
from qgov_complaints.events import (
    ComplaintFiled,
    ComplaintRejected,
    MediationEnd,
    RejectionGround,
    SubmissionOverdue,
)
from qgov_complaints.policy import load_policy
from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.contracts import Contracts, ContractViolation

RESPONDENT = credit_code(1)
AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
CASE = {
    "tracking_number": "T20260302ABCDEFGH",
    "kind": "complaint",
    "region_code": "440203",
    "handling_region_code": "440203",
    "category": "electronics",
    "respondent_name": "韶关某电器商行",
    "respondent_credit_code": RESPONDENT,
}


def filed(**data) -> dict:
    fact = ComplaintFiled(**CASE, received_on="2026-03-02", due_on="2026-03-11", amount="1299.00")
    event = json.loads(fact.event(subject=RESPONDENT, time=AT).to_json())
    event["data"] |= data
    return event


def test_the_service_has_a_model_for_every_complaints_event_the_contracts_declare(
    contracts: Contracts,
):
    declared = {t for t in contracts.declared_event_types() if t.startswith("qgov.complaints.")}

    assert {model.TYPE for model in SERVICE.event_models()} == declared
    assert len(declared) == 8


def test_the_rejection_grounds_are_the_policys() -> None:
    assert set(typing.get_args(RejectionGround)) == set(load_policy().rejection_grounds)


def test_a_closing_outcome_is_a_way_mediation_ends() -> None:
    assert set(typing.get_args(MediationEnd)) == MEDIATION_ENDED


def test_an_event_made_from_its_model_passes_its_contract(contracts: Contracts):
    event = filed()

    contracts.check(event)
    assert (event["source"], event["subject"]) == ("/qgov/complaints", RESPONDENT)
    assert datetime.fromisoformat(event["time"]) == AT


def test_the_overdue_event_says_which_deadline_and_where_it_stands(contracts: Contracts):
    fact = SubmissionOverdue(
        **CASE, deadline=Deadline.ACCEPTANCE, due_on="2026-03-11", status=Status.SUBMITTED
    )
    event = json.loads(fact.event(subject=RESPONDENT, time=AT).to_json())

    contracts.check(event)
    assert (event["data"]["deadline"], event["data"]["status"]) == ("acceptance", "submitted")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"tracking_number": "T20260302ABCDEFG0"}, "tracking_number"),  # no 0: read aloud
        ({"tracking_number": "X20260302ABCDEFGH"}, "tracking_number"),
        ({"kind": "tip"}, "kind"),
        ({"region_code": "4402"}, "region_code"),
        ({"handling_region_code": None}, "handling_region_code"),
        ({"category": "c" * 41}, "category"),
        ({"respondent_name": ""}, "respondent_name"),
        ({"respondent_name": "名" * 201}, "respondent_name"),
        ({"respondent_credit_code": "91440200MA0000001"}, "respondent_credit_code"),
        ({"received_on": "2026-02-30"}, "received_on"),
        ({"due_on": None}, "due_on"),
        ({"amount": "1E+3"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": None}, "amount"),
        ({"complainant": "张三"}, "(root)"),
    ],
)
def test_the_complaint_filed_contract_refuses_what_it_must(contracts: Contracts, data, field):
    with pytest.raises(ContractViolation, match=re.escape(f"data breaks its contract: {field}:")):
        contracts.check(filed(**data))


@pytest.mark.parametrize("ground", ["tired_of_it", None])
def test_a_rejection_names_a_coded_ground(contracts: Contracts, ground):
    fact = ComplaintRejected(**CASE, ground="outside_duties", rejected_on="2026-03-03")
    event = json.loads(fact.event(subject=RESPONDENT, time=AT).to_json())
    event["data"]["ground"] = ground

    with pytest.raises(ContractViolation, match="data breaks its contract: ground:"):
        contracts.check(event)
