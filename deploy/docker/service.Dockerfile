# syntax=docker/dockerfile:1
#
# One image recipe for every QGov service. Build from the repository root:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=gateway --build-arg PORT=8000 .
# SERVICE names the workspace member services/<SERVICE> (package qgov-<SERVICE>, module qgov_<SERVICE>).

ARG PYTHON_IMAGE=python:3.11-slim

FROM ghcr.io/astral-sh/uv:0.13.9 AS uv

# --- manifests: only what dependency resolution needs -------------------------------------------
# uv resolves the workspace from uv.lock, but it also reads every member's pyproject.toml (the root
# declares `services/*`), so all of them must be present, not just the one being built. A plain
# COPY cannot glob services/*/pyproject.toml and keep the paths, and `COPY --parents` needs the labs
# syntax, so this throwaway stage copies the context and keeps just the manifests. The builder
# copies the result; BuildKit keys that COPY on file contents, so editing code leaves the
# dependency layer below cached, and only a changed pyproject.toml or uv.lock rebuilds it.
FROM ${PYTHON_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp --parents pyproject.toml uv.lock shared/pyproject.toml services/*/pyproject.toml /manifests/

# --- builder: the virtual environment -----------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "build arg SERVICE is required (e.g. gateway)" >&2; exit 1; }
COPY --from=uv /uv /usr/local/bin/uv
# Use the image's own interpreter (the runtime stage has the same one), compile bytecode at build
# time because the runtime file system is read-only, and copy (not hard-link) out of the cache mount.
ENV UV_PYTHON_DOWNLOADS=0 \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy
WORKDIR /app

# Layer 1: third-party dependencies only, from the lock (cached until a manifest changes).
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package "qgov-${SERVICE}"

# Layer 2: our code. --no-editable installs the workspace packages into the venv as ordinary
# wheels, so the runtime stage needs the venv only, not the source tree.
COPY shared/ shared/
COPY services/${SERVICE}/ services/${SERVICE}/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package "qgov-${SERVICE}"

# --- runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG PORT=8000
RUN groupadd --system --gid 10001 qgov \
 && useradd --system --uid 10001 --gid qgov --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin qgov
# The venv's scripts point at /app/.venv/bin/python, so it keeps its path. Owned by root: the
# service user can read and run it, never change it.
COPY --from=builder /app/.venv /app/.venv
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/qgov-entrypoint
# GS1's EPCIS 2.0 JSON Schema, which traceability validates captures against (deploy/epcis/README.md).
# A source checkout reads it from ../shared/conformance; an image has no such folder, so it
# carries its own copy and names it in QGOV_EPCIS_SCHEMA_PATH. 55 kB in every image is cheaper
# than a recipe with a branch per service; the other services ignore the variable.
COPY deploy/epcis/EPCIS-JSON-Schema.json /app/epcis/EPCIS-JSON-Schema.json
# The service's identity is baked in from the build args; everything else (database, broker,
# secrets) comes from the environment at run time. QGOV_PORT can still be overridden.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    QGOV_SERVICE_NAME=${SERVICE} \
    OTEL_SERVICE_NAME=qgov-${SERVICE} \
    QGOV_HOST=0.0.0.0 \
    QGOV_PORT=${PORT} \
    QGOV_EPCIS_SCHEMA_PATH=/app/epcis/EPCIS-JSON-Schema.json
WORKDIR /app
USER 10001:10001
EXPOSE ${PORT}
# Liveness only (/healthz); readiness (/readyz) is the orchestrator's business. The start period
# covers the migrations the entrypoint runs before serving. The python stdlib avoids adding curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ['QGOV_PORT'], timeout=2)" || exit 1
ENTRYPOINT ["/usr/local/bin/qgov-entrypoint"]
# `start` = migrate, then serve. Kubernetes runs `qgov migrate` in an init container and `serve` here.
CMD ["start"]
