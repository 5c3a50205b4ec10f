"""deploy/docker/service.Dockerfile and its entrypoint, read as text (no Docker engine needed)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from qgov_shared.testing.conformance import conformance_path
from qgov_traceability.epcis.schema import EpcisSchema

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "docker" / "service.Dockerfile"
ENTRYPOINT = ROOT / "deploy" / "docker" / "entrypoint.sh"


def stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions, continuation lines joined, grouped by build stage."""
    text = re.sub(r"\\\n(\s*#.*\n)*", " ", DOCKERFILE.read_text())
    result: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            result.append([])
        if result:
            result[-1].append((instruction, " ".join(args.split())))
    return result


def stage_with(fragment: str) -> list[tuple[str, str]]:
    (stage,) = [s for s in stages() if any(fragment in args for _, args in s)]
    return stage


def test_uv_comes_from_a_pinned_official_image() -> None:
    sources = [
        args.split()[0]
        for stage in stages()
        for instruction, args in stage
        if instruction == "FROM"
    ]
    uv = [image for image in sources if image.startswith("ghcr.io/astral-sh/uv")]
    assert uv, "uv must come from ghcr.io/astral-sh/uv"
    assert all(re.fullmatch(r"ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+", image) for image in uv), uv


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    builder = stage_with("--no-install-workspace")
    runs = [(i, args) for i, (instruction, args) in enumerate(builder) if instruction == "RUN"]
    dependencies = [
        i for i, args in runs if "uv sync --frozen" in args and "--no-install-workspace" in args
    ]
    code = [
        i
        for i, (instruction, args) in enumerate(builder)
        if instruction == "COPY"
        and re.search(r"(^|\s)(shared|services/\$\{SERVICE\})/?(\s|$)", args)
    ]
    project = [
        i for i, args in runs if "uv sync --frozen" in args and "--no-install-workspace" not in args
    ]
    assert dependencies, "no `uv sync --frozen --no-install-workspace` dependency layer"
    assert code, "no COPY of shared/ or services/${SERVICE}/"
    assert project, "no `uv sync --frozen` after the code is copied"
    assert dependencies[0] < min(code) < project[0]
    assert "--no-dev" in builder[dependencies[0]][1]
    assert '--package "qgov-${SERVICE}"' in builder[dependencies[0]][1]
    # Before the dependency layer only uv itself and the manifests come in, never source code.
    for instruction, args in builder[: dependencies[0]]:
        if instruction == "COPY":
            assert "--from=" in args, args


def test_the_manifest_stage_keeps_every_workspace_pyproject() -> None:
    manifests = " ".join(args for _, args in stage_with("services/*/pyproject.toml"))
    for manifest in (
        "uv.lock",
        "pyproject.toml",
        "shared/pyproject.toml",
        "services/*/pyproject.toml",
    ):
        assert manifest in manifests


def test_the_runtime_stage_is_non_root_with_a_healthcheck() -> None:
    runtime = stages()[-1]
    assert runtime[0][1].startswith("python:3.11-slim") or "PYTHON_IMAGE" in runtime[0][1]
    users = [args for instruction, args in runtime if instruction == "USER"]
    assert users, "the runtime stage must set USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert users[-1].split(":")[0] == "10001"
    (healthcheck,) = [args for instruction, args in runtime if instruction == "HEALTHCHECK"]
    assert "urllib" in healthcheck
    assert "/healthz" in healthcheck
    assert any(instruction == "ENTRYPOINT" for instruction, _ in runtime)
    # Only the venv comes from the builder: the runtime has no source tree and no uv.
    copies = [args for instruction, args in runtime if instruction == "COPY"]
    assert any("/app/.venv" in args for args in copies)
    assert not any("ghcr.io/astral-sh/uv" in args for args in copies)


def test_the_dockerignore_keeps_local_state_out_of_the_context() -> None:
    patterns = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".qgov", "**/__pycache__", "**/.pytest_cache"} <= patterns


def run_entrypoint(
    tmp_path: Path, *args: str, service: str | None = "demo"
) -> subprocess.CompletedProcess:
    """Run the entrypoint with `qgov` and `uvicorn` replaced by scripts that log their arguments."""
    log = tmp_path / "calls"
    for tool in ("qgov", "uvicorn"):
        fake = tmp_path / tool
        fake.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{log}"\n')
        fake.chmod(0o755)
    env = {"PATH": f"{tmp_path}:{os.environ['PATH']}", "QGOV_PORT": "8090"}
    if service:
        env["QGOV_SERVICE_NAME"] = service
    return subprocess.run(
        [str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, timeout=10, check=False
    )


def calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "calls"
    return log.read_text().splitlines() if log.exists() else []


def test_the_entrypoint_migrates_then_serves_by_default(tmp_path: Path) -> None:
    assert os.access(ENTRYPOINT, os.X_OK)
    assert run_entrypoint(tmp_path).returncode == 0
    assert calls(tmp_path) == [
        "qgov migrate demo",
        "uvicorn qgov_demo.main:create_app --factory --host 0.0.0.0 --port 8090",
    ]


def test_the_entrypoint_serves_without_migrating_when_asked(tmp_path: Path) -> None:
    assert run_entrypoint(tmp_path, "serve").returncode == 0
    assert calls(tmp_path) == [
        "uvicorn qgov_demo.main:create_app --factory --host 0.0.0.0 --port 8090"
    ]


def test_the_entrypoint_refuses_to_guess_the_service(tmp_path: Path) -> None:
    result = run_entrypoint(tmp_path, service=None)
    assert result.returncode != 0
    assert "QGOV_SERVICE_NAME" in result.stderr
    assert calls(tmp_path) == []


def test_the_image_carries_the_epcis_schema_traceability_validates_against() -> None:
    """The schema lives beside the repository, out of the build context's reach: the image takes
    the copy in deploy/epcis, which must stay the conformance file byte for byte, and names it."""
    copy = ROOT / "deploy" / "epcis" / "EPCIS-JSON-Schema.json"
    assert copy.read_bytes() == conformance_path("epcis", "schema", copy.name).read_bytes()
    runtime = stages()[-1]
    copies = [args.split()[-2:] for instruction, args in runtime if instruction == "COPY"]
    destinations = {
        destination for source, destination in copies if source == copy.relative_to(ROOT).as_posix()
    }
    (destination,) = destinations
    env = " ".join(args for instruction, args in runtime if instruction == "ENV")
    assert f"QGOV_EPCIS_SCHEMA_PATH={destination}" in env.split()
    # The file as the image has it is a schema traceability can load.
    example = conformance_path("epcis", "examples", "Example_9.6.1-ObjectEvent.jsonld")
    schema = EpcisSchema.load(copy)
    assert not list(schema.document.iter_errors(json.loads(example.read_text())))
