"""Public conformance data (schemas, examples) that tests read in place.

It is not in the repository: every checkout, a developer's or CI's, has it beside the repository
in `../shared/conformance` (see `../shared/README.md`). A test that needs it and cannot find it
fails with one message saying where it should be, rather than skipping, which would hide that
the check never ran, or crashing on a missing file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# This file is in <repository>/shared/src/qgov_shared/testing/ (the workspace installs it editable).
REPOSITORY = Path(__file__).resolve().parents[4]
CONFORMANCE = REPOSITORY.parent / "shared" / "conformance"


def conformance_path(*parts: str, base: Path = CONFORMANCE) -> Path:
    """`../shared/conformance/<parts...>`, a folder or a file; fails the test when it is missing."""
    path = base.joinpath(*parts)
    if not path.exists():
        pytest.fail(
            f"the conformance data is missing at {path}: it lives beside the repository in "
            "../shared/conformance (see ../shared/README.md), to be read in place, not copied in",
            pytrace=False,
        )
    return path
