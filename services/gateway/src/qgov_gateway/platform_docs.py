"""One OpenAPI document and one docs page for the whole platform, served by the gateway.

`merge_openapi` is pure: the gateway's own document plus, from each service's document, the
paths the gateway routes to that service. The routes below fetch the services' documents at
request time through the pooled clients and keep each for a minute; a service that does not
answer is left out and named under `x-qgov-unavailable`, rather than failing the whole page.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse

from qgov_gateway.dependencies import GatewayDependenciesDep
from qgov_gateway.routing import ROUTES, Upstreams, service_for
from qgov_shared.http.openapi import PROBLEM_SCHEMAS, add_problem_responses

log = logging.getLogger(__name__)

Doc = dict[str, Any]

GATEWAY = "gateway"
DOC_TTL_S = 60.0
# Shorter than a routed request's timeout: the docs page should not hang on one slow service.
_FETCH_TIMEOUT_S = 3.0
_SCHEMA_REF = "#/components/schemas/"
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_WRITES = frozenset({"post", "put", "patch", "delete"})


def merge_openapi(gateway_doc: Doc, service_docs: dict[str, Doc], routes: dict[str, str]) -> Doc:
    """The gateway's document plus each service's routed paths with the schemas and security
    schemes they use, every operation tagged with the service that answers it.

    A schema or scheme whose name is already taken by a different definition is renamed with
    the service's name in front (`Page` -> `ComplaintsPage`), and the service's references
    follow it. The inputs are left unchanged.
    """
    merged = copy.deepcopy(gateway_doc)
    merged.setdefault("paths", {})
    merged.setdefault("components", {})
    _tag_operations(merged["paths"], GATEWAY)
    merged["tags"] = [_tag(GATEWAY, gateway_doc)]
    for service in sorted(service_docs):
        _add_service(merged, service, copy.deepcopy(service_docs[service]), routes)
    return merged


def _add_service(merged: Doc, service: str, doc: Doc, routes: dict[str, str]) -> None:
    # The gateway's own routes answer before its routing does, so its own paths win.
    paths = {
        path: item
        for path, item in doc.get("paths", {}).items()
        if service_for(path, routes) == service and path not in merged["paths"]
    }
    if not paths:
        return
    components = doc.get("components", {})
    all_schemas = components.get("schemas", {})
    schemas = {name: all_schemas[name] for name in sorted(_reachable(paths, all_schemas))}
    schemes = components.get("securitySchemes", {})
    ours = merged["components"]
    # The problems the gateway itself answers on routed paths (`_document_routing`).
    ours.setdefault("schemas", {}).update(copy.deepcopy(PROBLEM_SCHEMAS))
    schema_names = _renames(ours.get("schemas", {}), schemas, service)
    scheme_names = _renames(ours.get("securitySchemes", {}), schemes, service)

    _rewrite_refs([paths, schemas], schema_names)
    _tag_operations(paths, service)
    _document_routing(paths)
    for operation in _operations(paths):
        _rename_security(operation, scheme_names)
    merged["paths"].update(paths)
    for kind, found, names in (
        ("schemas", schemas, schema_names),
        ("securitySchemes", schemes, scheme_names),
    ):
        if found:
            ours.setdefault(kind, {}).update({names.get(n, n): d for n, d in found.items()})
    merged["tags"].append(_tag(service, doc))


def _document_routing(paths: Doc) -> None:
    """What the gateway itself may answer on a routed path: a refused token (it checks tokens
    before forwarding), its limit on anonymous writes, a path parameter with a control
    character (no service is asked for such a path), the service being unavailable, and the
    service answering more than the gateway passes on."""
    for item in paths.values():
        for method, operation in item.items():
            if method in _METHODS:
                writes = {429} if method in _WRITES else set()
                in_path = {400} if _has_path_parameters(item, operation) else set()
                add_problem_responses(operation, {401, 502, 503} | writes | in_path)


def _has_path_parameters(item: Doc, operation: Doc) -> bool:
    parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
    return any(parameter.get("in") == "path" for parameter in parameters)


def _renames(ours: Doc, theirs: Doc, service: str) -> dict[str, str]:
    """New names for the service's definitions whose names `ours` uses for something else.

    A definition that refers to a renamed one means something else too, even when its text is
    the same, so renaming spreads along references until nothing more changes.
    """
    clashing = {name for name, found in theirs.items() if name in ours and ours[name] != found}
    while more := {
        name
        for name, found in theirs.items()
        if name in ours and name not in clashing and _refs(found) & clashing
    }:
        clashing |= more
    return {name: service.capitalize() + name for name in clashing}


def _refs(value: Any) -> set[str]:
    """The schema names `value` refers to, at any depth."""
    if isinstance(value, list):
        return set().union(*map(_refs, value))
    if not isinstance(value, dict):
        return set()
    found = set().union(*map(_refs, value.values()))
    if (name := _schema_ref(value)) is not None:
        found.add(name)
    return found


def _schema_ref(value: Doc) -> str | None:
    """The schema a `{"$ref": "#/components/schemas/<name>"}` object names, else None."""
    ref = value.get("$ref")
    if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
        return ref.removeprefix(_SCHEMA_REF)
    return None


def _reachable(start: Any, schemas: Doc) -> set[str]:
    """The schemas `start` refers to, those they refer to, and so on."""
    seen: set[str] = set()
    pending = _refs(start)
    while pending:
        name = pending.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            pending |= _refs(schemas[name])
    return seen


def _rewrite_refs(value: Any, renames: dict[str, str]) -> None:
    if isinstance(value, list):
        for item in value:
            _rewrite_refs(item, renames)
    elif isinstance(value, dict):
        name = _schema_ref(value)
        if name in renames:
            value["$ref"] = _SCHEMA_REF + renames[name]
        for item in value.values():
            _rewrite_refs(item, renames)


def _rename_security(operation: Doc, renames: dict[str, str]) -> None:
    if "security" in operation:
        operation["security"] = [
            {renames.get(name, name): scopes for name, scopes in requirement.items()}
            for requirement in operation["security"]
        ]


def _operations(paths: Doc) -> Iterator[Doc]:
    for item in paths.values():
        yield from (operation for method, operation in item.items() if method in _METHODS)


def _tag_operations(paths: Doc, service: str) -> None:
    # One tag per service: the platform page groups by who answers; each service's own /docs
    # keeps its finer tags.
    for operation in _operations(paths):
        operation["tags"] = [service]


def _tag(service: str, doc: Doc) -> Doc:
    return {"name": service, "description": doc.get("info", {}).get("description", "")}


@dataclass
class ServiceDocs:
    """Each service's own OpenAPI document, fetched through the gateway's pooled clients and
    kept for `ttl_s`. A failed fetch is not kept: the next request tries again."""

    ttl_s: float = DOC_TTL_S
    clock: Callable[[], float] = time.monotonic
    _kept: dict[str, tuple[float, Doc]] = field(default_factory=dict)

    async def collect(
        self, upstreams: Upstreams, services: Iterable[str]
    ) -> tuple[dict[str, Doc], list[str]]:
        """The documents of the `services` that answered, and the names of those that did not."""
        names = sorted(services)
        found = await asyncio.gather(*(self._document(upstreams, name) for name in names))
        docs = {name: doc for name, doc in zip(names, found, strict=True) if doc is not None}
        return docs, [name for name in names if name not in docs]

    async def _document(self, upstreams: Upstreams, service: str) -> Doc | None:
        kept = self._kept.get(service)
        if kept is not None and self.clock() - kept[0] < self.ttl_s:
            return kept[1]
        client = upstreams.clients.get(service)
        # A service its breaker already knows to be down is not asked again.
        if client is None or upstreams.breaker(service).state == "open":
            return None
        try:
            answer = await client.get("/openapi.json", timeout=_FETCH_TIMEOUT_S)
            answer.raise_for_status()
            doc = answer.json()
        except (httpx.HTTPError, ValueError) as error:
            log.warning("no OpenAPI document from %s: %r", service, error)
            return None
        self._kept[service] = (self.clock(), doc)
        return doc


router = APIRouter(include_in_schema=False)


@router.get("/openapi.json")
async def platform_openapi(request: Request, deps: GatewayDependenciesDep) -> JSONResponse:
    # Only the services this gateway is set to reach are part of its platform.
    routed = set(ROUTES.values()) & set(deps.upstreams.clients)
    docs, unavailable = await deps.service_docs.collect(deps.upstreams, routed)
    merged = merge_openapi(request.app.openapi(), docs, ROUTES)
    merged["x-qgov-unavailable"] = unavailable
    return JSONResponse(merged)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="QGov API",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
    )


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()
