"""Valid unified social credit codes (GB 32100-2015) to test with."""

from __future__ import annotations

from qgov_shared.uscc import compute_check_character


def credit_code(serial: int, region_code: str = "440200") -> str:
    """The `serial`-th valid code of an enterprise registered in `region_code`."""
    body = f"91{region_code}MA{serial:07d}"
    return body + compute_check_character(body)
