"""Assertions on RFC 9457 problem documents, the shape of every refusal."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import httpx


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is a problem document with `status`; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (status, HTTPStatus(status).phrase)
    return body


def pointers(body: dict[str, Any]) -> list[str | None]:
    """The JSON pointers of a problem's field errors, in order."""
    return [error.get("pointer") for error in body.get("errors", [])]
