"""Fuzzing a running service's OpenAPI document with schemathesis, as each kind of caller.

The service runs on the real stack (its own database and broker, `run_service`) and is served
over real HTTP by uvicorn in the test's event loop, because its runtime (the asyncpg pool, the
consumers) lives in that loop, and because real HTTP parses paths and headers as production
does. Schemathesis is synchronous (`requests`), so it runs in a worker thread meanwhile.

Every answer must be documented: no 5xx, and its status code, content type and body as the
document says. A finding names the caller, the operation, the check and a curl command that
reproduces it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from schemathesis import Config, engine, openapi
from schemathesis.engine import events

from qgov_shared.http.openapi import ROLES_EXTENSION
from qgov_shared.ids import BIGINT_LIMIT
from qgov_shared.service import ServiceSpec, find_service
from qgov_shared.settings import ServiceSettings
from qgov_shared.testing.http import HttpServer
from qgov_shared.testing.stack import RunningService, TestStack, run_service
from qgov_shared.testing.tokens import TestKeys

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
# Boundary and invalid values of every parameter and field (coverage), then random inputs
# (fuzzing). Left out to keep the run bounded: examples, which QGov's documents do not declare
# (the phase would only generate cases the fuzzing phase sends anyway), and stateful, which
# follows the links schemathesis infers between operations (FastAPI's documents declare none):
# `tests/fuzz/test_stateful.py` runs it on the gateway's merged document.
PHASES = ("coverage", "fuzzing")
_ALL_PHASES = ("examples", *PHASES, "stateful")
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@dataclass(frozen=True)
class Caller:
    """Who the fuzzer calls as: its role (None when anonymous) and bearer token."""

    role: str | None = None
    token: str | None = None

    @property
    def name(self) -> str:
        return self.role or "anonymous"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def callers(keys: TestKeys, enterprise_code: str) -> list[Caller]:
    """The callers whose rights differ: anyone, a regulator of 440200 (韶关), an enterprise,
    an award reviewer and an administrator."""
    return [
        Caller(),
        Caller("regulator", keys.mint("regulator", sub="fuzz-regulator", regions=["440200"])),
        Caller("enterprise", keys.mint("enterprise", sub="fuzz-firm", credit_code=enterprise_code)),
        Caller("reviewer", keys.mint("reviewer", sub="fuzz-reviewer")),
        Caller("admin", keys.mint("admin", sub="fuzz-admin")),
    ]


def operations_for(document: dict[str, Any], caller: Caller) -> dict[str, Any]:
    """The part of `document` worth fuzzing as `caller`: everything for the anonymous caller
    (each refusal must be documented too); for a role, the operations that admit it or that read
    the caller's token without restricting roles, since only there does the role change what
    the service does."""
    if caller.role is None:
        return document
    paths = {}
    for path, item in document.get("paths", {}).items():
        kept = {
            key: value
            for key, value in item.items()
            if key not in _METHODS or _admits(value, caller.role)
        }
        if _METHODS & set(kept):
            paths[path] = kept
    return {**document, "paths": paths}


def _admits(operation: dict[str, Any], role: str) -> bool:
    roles = operation.get(ROLES_EXTENSION)
    return role in roles if roles else bool(operation.get("security"))


@dataclass(frozen=True)
class Finding:
    caller: str
    operation: str
    check: str
    detail: str
    reproduce: str

    def __str__(self) -> str:
        return (
            f"{self.operation} as {self.caller}: {self.check}\n"
            f"  {self.detail.strip()}\n  reproduce: {self.reproduce}"
        )


def report(findings: list[Finding]) -> str:
    operations = sorted({finding.operation for finding in findings})
    listed = "\n\n".join(str(finding) for finding in findings)
    return f"{len(findings)} findings in {len(operations)} operations:\n\n{listed}"


def fuzz(
    document: dict[str, Any],
    base_url: str,
    caller: Caller,
    *,
    max_examples: int,
    seed: int,
    phases: tuple[str, ...] = PHASES,
    mode: str = "all",
    on_event: Callable[[events.EngineEvent], None] = lambda event: None,
) -> list[Finding]:
    """Run schemathesis over every operation of `document` against `base_url` as `caller`;
    blocking, so call it in a thread while the service serves. `mode` is schemathesis's
    generation mode ("positive": valid inputs only). `on_event` sees each of the engine's
    events (what a phase did: the stateful phase's inferred links, its scenarios)."""
    config = Config.from_dict(
        {
            "seed": seed,
            "workers": 1,
            "base-url": base_url,
            "headers": caller.headers,
            "request-timeout": 30,
            # A cache carries what one run learnt into the next: each run starts afresh.
            "cache": {"enabled": False},
            "generation": {"max-examples": max_examples, "deterministic": True, "mode": mode},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "phases": {name: {"enabled": name in phases} for name in _ALL_PHASES},
        }
    )
    # The stateful phase writes the links it infers into the document: each run its own copy.
    schema = openapi.from_dict(copy.deepcopy(operations_for(document, caller)), config=config)
    findings: dict[tuple[str, str, str], Finding] = {}
    for event in engine.from_schema(schema).execute():
        on_event(event)
        for finding in _findings(event, caller.name):
            findings.setdefault((finding.operation, finding.check, finding.detail), finding)
    return list(findings.values())


def _findings(event: events.EngineEvent, caller: str) -> Iterator[Finding]:
    if isinstance(event, events.FatalError):
        raise event.exception
    if isinstance(event, events.NonFatalError):
        yield Finding(caller, event.label, "error", event.info.message, "(no request recorded)")
    if isinstance(event, events.ScenarioFinished):
        for checks in event.recorder.checks.values():
            for check in checks:
                if check.failure_info is not None:
                    failure = check.failure_info.failure
                    detail = f"{failure.title}: {failure.message}"
                    code = check.failure_info.code_sample
                    yield Finding(caller, event.recorder.label, check.name, detail, code)


# --- running the service to fuzz --------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    url: str
    document: dict[str, Any]
    # The paths the service answers itself; the rest of `document` it forwards (the gateway).
    own_paths: frozenset[str]

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The document of the service's own operations, and that of those it forwards."""
        paths = self.document.get("paths", {})
        own = {path: item for path, item in paths.items() if path in self.own_paths}
        forwarded = {path: item for path, item in paths.items() if path not in self.own_paths}
        return {**self.document, "paths": own}, {**self.document, "paths": forwarded}


@contextlib.asynccontextmanager
async def serving(
    stack: TestStack,
    spec: ServiceSpec,
    keys: TestKeys,
    overrides: Callable[[str], dict[str, Any]] = lambda name: {},
) -> AsyncIterator[Target]:
    """The service over HTTP with its real database and broker, trusting `keys`' tokens. A
    service that routes to others (its settings name `upstream_urls`) gets each of them running
    behind it, as in production. `overrides(name)` adjusts a service's settings."""
    async with contextlib.AsyncExitStack() as running:
        _, settings_class = service_parts(spec)
        prefix: dict[str, Any] = {}
        upstreams = {}
        for name in _upstream_names(settings_class):
            upstream = await running.enter_async_context(
                _run(stack, find_service(name), keys, {**prefix, **overrides(name)})
            )
            prefix = {"kafka_topic_prefix": upstream.settings.kafka_topic_prefix}
            upstreams[name] = (await running.enter_async_context(HttpServer(upstream.app))).url
        if upstreams:
            prefix["upstream_urls"] = upstreams
        service = await running.enter_async_context(
            _run(stack, spec, keys, {**prefix, **overrides(spec.name)})
        )
        server = await running.enter_async_context(HttpServer(service.app))
        # The gateway gathers every upstream's document first: slow on a loaded machine.
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
            document = (await client.get("/openapi.json")).raise_for_status().json()
        yield Target(server.url, document, frozenset(service.app.openapi().get("paths", {})))


@contextlib.asynccontextmanager
async def _run(
    stack: TestStack, spec: ServiceSpec, keys: TestKeys, overrides: dict[str, Any]
) -> AsyncIterator[RunningService]:
    factory, settings_class = service_parts(spec)
    async with run_service(stack, spec, factory, settings_class, **overrides) as service:
        # Set after the lifespan: the gateway installs its own verifier when it starts.
        service.app.state.token_verifier = keys.verifier()
        yield service


def service_parts(spec: ServiceSpec) -> tuple[Callable[..., FastAPI], type[ServiceSettings]]:
    """The service's app factory and its settings class (that of the app it makes by default,
    which builds nothing until its lifespan runs)."""
    module, name = spec.app_factory.split(":")
    factory = getattr(importlib.import_module(module), name)
    return factory, type(factory().state.settings)


def _upstream_names(settings_class: type[ServiceSettings]) -> list[str]:
    field = settings_class.model_fields.get("upstream_urls")
    return sorted(field.get_default(call_default_factory=True)) if field else []


async def fuzz_as_each(
    target: Target, every: list[Caller], *, max_examples: int, seed: int
) -> list[Finding]:
    """`fuzz` as each caller in turn, in a worker thread while the service serves. Operations
    the service forwards to others are fuzzed once, as the anonymous caller (the first), with
    random requests: what each role may do there, and each operation's boundary cases, are the
    other service's, fuzzed against it directly; here it is the forwarding that meets them."""
    own, forwarded = target.split()
    findings: list[Finding] = []
    for caller in every:
        findings += await asyncio.to_thread(
            fuzz, own, target.url, caller, max_examples=max_examples, seed=seed
        )
    if forwarded["paths"]:
        # Random requests, not each operation's boundary cases: those are the service's own
        # run's; here the forwarding meets whatever arrives.
        findings += await asyncio.to_thread(
            fuzz, forwarded, target.url, every[0], max_examples=2, seed=seed, phases=("fuzzing",)
        )
    return findings


def unbounded_integers(document: dict[str, Any]) -> Iterator[str]:
    """Where `document` takes an integer that may not fit a BIGINT: each such parameter, and
    each such field of a request body (through the components it refers to), by name."""
    schemas = document.get("components", {}).get("schemas", {})
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if list(_unbounded_fields(parameter.get("schema", {}), schemas, "", set())):
                    yield f"{where} {parameter['name']}"
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield from _unbounded_fields(media.get("schema", {}), schemas, f"{where} #", set())


def _unbounded_fields(
    schema: Any, schemas: dict[str, Any], where: str, seen: set[str]
) -> Iterator[str]:
    if isinstance(schema, list):
        for item in schema:
            yield from _unbounded_fields(item, schemas, where, seen)
        return
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "integer" and not _fits_bigint(schema):
        yield where
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    if name and name not in seen:
        yield from _unbounded_fields(schemas.get(name, {}), schemas, where, seen | {name})
    for field, subschema in schema.get("properties", {}).items():
        yield from _unbounded_fields(subschema, schemas, f"{where}/{field}", seen)
    for key in ("items", "anyOf", "oneOf", "allOf", "additionalProperties"):
        yield from _unbounded_fields(schema.get(key), schemas, where, seen)


def _fits_bigint(schema: dict[str, Any]) -> bool:
    upper = (schema.get(key) for key in ("maximum", "exclusiveMaximum"))
    lower = (schema.get(key) for key in ("minimum", "exclusiveMinimum"))
    return any(bound is not None and bound <= BIGINT_LIMIT for bound in upper) and any(
        bound is not None and bound >= -BIGINT_LIMIT for bound in lower
    )
