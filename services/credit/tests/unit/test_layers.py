"""The service keeps its layers apart: the law (domain, policy) imports no framework, routes
run no SQL of their own (reads are in `queries`, writes in `handlers`), and no module grows past
what one reads at a sitting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import qgov_credit

PACKAGE = Path(qgov_credit.__file__).parent
MODULES = sorted(path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts)
FRAMEWORKS = {"fastapi", "sqlalchemy", "sqlmodel", "aiokafka", "starlette"}


def imported_packages(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("module", ["domain.py", "policy.py"])
def test_the_law_imports_no_framework(module):
    assert imported_packages(module) & FRAMEWORKS == set()


def test_routes_run_no_sql_of_their_own():
    assert "sqlalchemy" not in imported_packages("api.py")
    assert "sqlmodel" not in imported_packages("api.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_every_module_reads_at_a_sitting(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300
