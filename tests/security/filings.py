"""A complaint as a citizen files it, with personal data a test can look for afterwards."""

from __future__ import annotations

from typing import Any

import httpx

from qgov_shared.testing.codes import credit_code
from qgov_shared.testing.tokens import bearer

from .conftest import KEYS

RESPONDENT = credit_code(41)
OTHER_ENTERPRISE = credit_code(42)
COVERED, UNCOVERED = "440203", "440303"  # within 440200; within 440300
# Distinctive, so finding them anywhere is not a coincidence.
NAME, PHONE = "欧阳青岚", "13987654321"
ADDRESS = "广东省韶关市武江区沐溪大道777号"
ID_NUMBER = "11010519491231002X"
PERSONAL = (NAME, PHONE, ADDRESS, ID_NUMBER)

REGULATOR = bearer(KEYS.mint("regulator", sub="reg-440200", regions=["440200"]))
OTHER_REGULATOR = bearer(KEYS.mint("regulator", sub="reg-440300", regions=["440300"]))
ENTERPRISE = bearer(KEYS.mint("enterprise", sub="firm-41", credit_code=RESPONDENT))
OTHER = bearer(KEYS.mint("enterprise", sub="firm-42", credit_code=OTHER_ENTERPRISE))


def complaint(**changes: Any) -> dict[str, Any]:
    return {
        "complainant": {"name": NAME, "phone": PHONE, "address": ADDRESS, "id_number": ID_NUMBER},
        "respondent": {"name": "韶关某电器商行", "credit_code": RESPONDENT},
        "request": "退还货款 1299 元",
        "facts": "购买的电饭煲使用三天后无法加热，商家拒绝退货。",
        "category": "electronics",
        "region_code": COVERED,
        "amount": "1299.00",
        "incident_on": "2026-01-05",
        **changes,
    }


async def file(client: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    """File a complaint; the receipt."""
    answer = await client.post("/api/v1/complaints", json=complaint(**changes))
    assert answer.status_code == 201, answer.text
    return answer.json()


async def submission_id(client: httpx.AsyncClient, tracking_number: str) -> int:
    """The id regulators know the complaint by, from their list."""
    answer = await client.get("/api/v1/submissions", headers=REGULATOR, params={"limit": 100})
    assert answer.status_code == 200, answer.text
    [found] = [i["id"] for i in answer.json()["items"] if i["tracking_number"] == tracking_number]
    return found
