"""Each operation's OpenAPI entry lists the problem answers it can give, read from the route."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel

from qgov_shared.auth import CurrentPrincipal, Principal, Role, require_roles
from qgov_shared.http.idempotency import IdempotencyKeyDep
from qgov_shared.http.openapi import ROLES_EXTENSION, install_problem_docs
from qgov_shared.http.problems import PROBLEM_JSON
from qgov_shared.http.ratelimit import rate_limited


class Note(BaseModel):
    text: str


Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]


def _app() -> FastAPI:
    router = APIRouter(prefix="/v1")

    @router.get("/status")
    async def status() -> dict[str, str]:
        return {}

    @router.get("/things/{thing_id}")
    async def thing(thing_id: int, caller: CurrentPrincipal) -> dict[str, str]:
        return {}

    @router.get("/lookups", responses={404: {"description": "no such thing as the query names"}})
    async def lookup(name: str) -> dict[str, str]:
        return {}

    @router.post("/notes", dependencies=[Depends(rate_limited)])
    async def note(body: Note, admin: Admin, key: IdempotencyKeyDep) -> dict[str, str]:
        return {}

    app = FastAPI()
    app.include_router(router)  # included routers are reached too
    install_problem_docs(app)
    return app


def _statuses(document: dict, path: str, method: str) -> list[str]:
    return list(document["paths"][path][method]["responses"])


def test_each_operation_documents_the_problems_its_route_can_answer() -> None:
    document = _app().openapi()
    # Every operation may find its database out of reach: 503.
    assert _statuses(document, "/v1/status", "get") == ["200", "503"]
    assert _statuses(document, "/v1/things/{thing_id}", "get") == [
        "200", "401", "404", "422", "503"
    ]  # fmt: skip
    assert _statuses(document, "/v1/notes", "post") == [
        "200", "400", "401", "403", "409", "413", "415", "422", "429", "503"
    ]  # fmt: skip


def test_an_operation_for_some_roles_names_them() -> None:
    paths = _app().openapi()["paths"]
    assert paths["/v1/notes"]["post"][ROLES_EXTENSION] == ["admin"]
    assert ROLES_EXTENSION not in paths["/v1/things/{thing_id}"]["get"]


def test_a_refusal_a_route_declares_itself_is_a_problem_document_too() -> None:
    document = _app().openapi()
    assert _statuses(document, "/v1/lookups", "get") == ["200", "404", "422", "503"]
    declared = document["paths"]["/v1/lookups"]["get"]["responses"]["404"]
    assert declared["description"] == "no such thing as the query names"
    assert list(declared["content"]) == [PROBLEM_JSON]


def test_refusals_are_problem_documents_and_fastapis_error_shape_is_gone() -> None:
    document = _app().openapi()
    invalid = document["paths"]["/v1/notes"]["post"]["responses"]["422"]
    assert invalid["content"] == {
        PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}
    }
    schemas = document["components"]["schemas"]
    assert {"Problem", "ProblemError"} <= set(schemas)
    assert not {"HTTPValidationError", "ValidationError"} & set(schemas)
