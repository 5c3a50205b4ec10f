"""Fixtures of the deploy tests."""

from __future__ import annotations

import pytest

from .kube import kustomize
from .production import PRODUCTION


@pytest.fixture(scope="session")
def rendered() -> list[dict]:
    """deploy/k8s/production as kustomize renders it. Shared: a test that changes objects renders
    its own copy with `kustomize(PRODUCTION)`."""
    return kustomize(PRODUCTION)
