"""Events built as the brands, standards, traceability and inspections services publish them
(each passes its producer's contract: `conftest.apply` checks), for feeding the read model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qgov_shared.envelope import CloudEvent, new_event

from .conftest import day

ENTERPRISE = "韶关某电器有限公司"


def _event(service: str, name: str, code: str, data: dict, time: datetime) -> CloudEvent:
    event = new_event(
        f"qgov.{service}.{name}.v1", source=f"/qgov/{service}", subject=code, data=data
    )
    return event.model_copy(update={"time": time})


# --- brands --------------------------------------------------------------------------------


def _application(application_id: int, code: str) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "programme": "guangdong-famous-brand",
        "programme_name": "广东省名牌产品",
        "level": "provincial",
        "round": "2026",
        "credit_code": code,
        "enterprise_name": ENTERPRISE,
        "brand_id": None,
    }


def award_proposed(application_id: int, code: str, time: datetime, notice_days: int = 7):
    data = {
        **_application(application_id, code),
        "tier": "award",
        "proposed_on": day(),
        "notice_ends_on": day(notice_days),
    }
    return _event("brands", "award.proposed", code, data, time)


def award_step(step: str, award_id: int, code: str, time: datetime, **fields: Any):
    """`award.<step>` of award `award_id` (granted from application `award_id` too)."""
    data = {**_application(award_id, code), "award_id": award_id, "tier": "award", **fields}
    return _event("brands", f"award.{step}", code, data, time)


def award_rejected(application_id: int, code: str, time: datetime):
    data = {
        **_application(application_id, code),
        "stage": "review",
        "rejected_on": day(2),
        "reasons": "材料不全",
    }
    return _event("brands", "award.rejected", code, data, time)


def award_granted(award_id: int, code: str, time: datetime):
    return award_step(
        "granted", award_id, code, time, granted_on=day(), valid_until=day(3 * 365), reasons="优"
    )


# --- standards -----------------------------------------------------------------------------


def standards_fact(
    name: str, declaration_id: int, code: str, time: datetime, version: int = 1, **fields: Any
):
    data = {
        "declaration_id": declaration_id,
        "version": version,
        "enterprise_name": ENTERPRISE,
        "region_code": code[2:8],
        "product_name": "电热水壶",
        "category": "small_appliances",
        **fields,
    }
    return _event("standards", f"standard.{name}", code, data, time)


def standard_check(check_id: int, declaration_id: int, code: str, time: datetime, outcome: str):
    return standards_fact(
        "check_recorded",
        declaration_id,
        code,
        time,
        check_id=check_id,
        outcome=outcome,
        findings=["标签不符"] if outcome != "compliant" else [],
        failing_indicators=["泄漏电流"] if outcome == "non_compliant" else [],
        checked_on=day(),
        source="regulator",
        inspection_id=None,
    )


def frontrunners(declaration_id: int, code: str, time: datetime, ranking: int, frontrunner: bool):
    return standards_fact(
        "frontrunners_published",
        declaration_id,
        code,
        time,
        plan_version=1,
        ranking=ranking,
        rank=1 if frontrunner else 4,
        score="91.5000" if frontrunner else "70.0000",
        frontrunner=frontrunner,
        newly_named=frontrunner,
        frontrunner_count=3,
        published_on=day(),
    )


def standard_flagged(flag_id: int, declaration_id: int, code: str, time: datetime):
    return standards_fact(
        "flagged",
        declaration_id,
        code,
        time,
        flag_id=flag_id,
        reason="standard_withdrawn",
        standard_number="GB 4706.1-2005",
        replaced_by="GB 4706.1-2024",
        indicator=None,
        required=None,
        declared=None,
        effective_on=day(),
        flagged_on=day(),
    )


# --- traceability --------------------------------------------------------------------------


def recall_step(step: str, recall_id: int, code: str, time: datetime, **fields: Any):
    data = {
        "recall_id": recall_id,
        "credit_code": code,
        "enterprise_name": ENTERPRISE,
        "region_code": code[2:8],
        "voluntary": fields.pop("voluntary", True),
        **fields,
    }
    return _event("traceability", f"recall.{step}", code, data, time)


def recall_initiated(recall_id: int, code: str, time: datetime, voluntary: bool = True):
    return recall_step(
        "initiated",
        recall_id,
        code,
        time,
        voluntary=voluntary,
        initiated_on=day(),
        deadline=day(30),
        defect="电源线绝缘不良",
        hazard="触电",
        products=["https://id.gs1.org/01/06901234567892/10/L1"],
        affected_items=120,
        affected_parties=4,
    )


def certificate_issued(certificate_id: int, code: str, time: datetime):
    gtin, lot = "06901234567892", f"L{certificate_id}"
    data = {
        "certificate_id": certificate_id,
        "trace_code": "23456789ABCDE",
        "credit_code": code,
        "enterprise_name": ENTERPRISE,
        "product_name": "电热水壶",
        "lot": f"https://id.gs1.org/01/{gtin}/10/{lot}",
        "gtin": gtin,
        "lot_number": lot,
        "quantity": "500",
        "unit": "台",
        "commitment_basis": "self_inspection",
        "issued_on": day(),
    }
    return _event("traceability", "trace.certificate_issued", code, data, time)


# --- inspections ---------------------------------------------------------------------------


def _inspection(inspection_id: str, code: str) -> dict[str, Any]:
    return {
        "inspection_id": inspection_id,
        "campaign_id": 7,
        "credit_code": code,
        "enterprise_name": ENTERPRISE,
        "region_code": code[2:8],
    }


def result_final(inspection_id: str, code: str, time: datetime, outcome: str, retested=False):
    failing = [{"name": "泄漏电流", "measured": "0.9", "unit": "mA", "required": "≤0.75"}]
    data = {
        **_inspection(inspection_id, code),
        "declaration_id": None,
        "product_name": "电热水壶",
        "standard_number": "GB 4706.1-2005",
        "outcome": outcome,
        "failing_indicators": failing if outcome == "failed" else [],
        "findings": [],
        "retested": retested,
        "decided_on": day(),
    }
    return _event("inspections", "inspection.result_final", code, data, time)


def followup_closed(inspection_id: str, code: str, time: datetime):
    data = {
        **_inspection(inspection_id, code),
        "outcome": "rectified",
        "rectification_due_on": day(30),
        "reinspected_on": day(20),
        "closed_on": day(21),
    }
    return _event("inspections", "inspection.followup_closed", code, data, time)
