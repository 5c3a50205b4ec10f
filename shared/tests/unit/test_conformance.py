"""The conformance data's one way in: its path when present, one clear failure when missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from qgov_shared.testing.conformance import CONFORMANCE, conformance_path


def test_the_data_beside_the_repository_is_found() -> None:
    assert conformance_path("cloudevents", "cloudevents.json") == (
        CONFORMANCE / "cloudevents" / "cloudevents.json"
    )


def test_missing_data_fails_the_test_saying_where_it_belongs(tmp_path: Path) -> None:
    missing = tmp_path / "open311" / "schema"
    with pytest.raises(pytest.fail.Exception) as failure:
        conformance_path("open311", "schema", base=tmp_path)
    assert str(missing) in failure.value.msg
    assert "../shared/conformance" in failure.value.msg
    assert failure.value.pytrace is False  # the message alone, without a traceback to read past
