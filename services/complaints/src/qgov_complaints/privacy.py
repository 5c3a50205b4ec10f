"""How personal data is shown to those who may not see it whole: enough to recognise, never
enough to identify. Only the regulator handling a submission sees it unmasked."""

from __future__ import annotations

from qgov_shared.auth import Principal, Role

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def mask_name(name: str) -> str:
    """张三 → 张*; 欧阳娜娜 → 欧***; the family name stays."""
    return name[:1] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; landlines keep their area code and last four digits."""
    digits = phone.replace("-", "")
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:]


def mask_address(address: str) -> str:
    """Keeps the first six characters (province and city), hides the rest."""
    return address[:6] + "****" if len(address) > 6 else "****"


def mask_id_number(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:]


def is_valid_resident_id(number: str) -> bool:
    """GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number, _ID_WEIGHTS, strict=False))
    return _ID_CHECK[total % 11] == number[17].upper()


def sees_personal_data(principal: Principal, handling_region_code: str) -> bool:
    """Only the regulator handling the submission sees its personal data unmasked: not another
    region's, not an admin, not the respondent."""
    return principal.role is Role.REGULATOR and principal.covers_region(handling_region_code)
